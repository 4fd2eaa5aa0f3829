using Marten;

using Npgsql;

namespace GemeinsamDigital.Api.EventStore;

/// <summary>
/// A session to decide and append in, and its commit. The exclusive kind holds the events table
/// against other writers (SHARE ROW EXCLUSIVE: readers go on, appends wait) from before the first
/// read until the commit: the lock waits for every write in flight, so the highest sequence read
/// under it has no uncommitted event below it, and no event can join below it later. That is what
/// a snapshot "as of sequence N" needs.
/// </summary>
public sealed class WriteSession : IAsyncDisposable
{
    private readonly NpgsqlConnection? _connection;
    private readonly NpgsqlTransaction? _transaction;

    private WriteSession(IDocumentSession session, NpgsqlConnection? connection, NpgsqlTransaction? transaction)
    {
        Session = session;
        _connection = connection;
        _transaction = transaction;
    }

    public IDocumentSession Session { get; }

    public static WriteSession Open(IDocumentStore store) => new(store.LightweightSession(), null, null);

    public static async Task<WriteSession> OpenExclusiveAsync(IDocumentStore store, CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            var transaction = await connection.BeginTransactionAsync(ct);
            await using (var command = new NpgsqlCommand($"lock table {EventStoreSetup.Schema}.mt_events in share row exclusive mode", connection, transaction))
            {
                await command.ExecuteNonQueryAsync(ct);
            }
            return new WriteSession(store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)), connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The highest global sequence stored; under the exclusive lock, final for this transaction.</summary>
    public async Task<long> HighestSequenceAsync(CancellationToken ct)
    {
        const string sql = $"select coalesce(max(seq_id), 0) from {EventStoreSetup.Schema}.mt_events";
        if (_connection is not null)
        {
            await using var locked = new NpgsqlCommand(sql, _connection, _transaction);
            return (long)(await locked.ExecuteScalarAsync(ct))!;
        }
        await using var connection = Session.DocumentStore.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        await Session.SaveChangesAsync(ct);
        if (_transaction is not null)
        {
            await _transaction.CommitAsync(ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}

using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace GemeinsamDigital.Api.Catalog;

/// <summary>What a catalogue command answers on success.</summary>
/// <param name="Version">The catalogue's version after the command; also the new ETag.</param>
/// <param name="Events">Stored names of the events the command appended.</param>
public sealed record CatalogCommandAccepted(long Version, IReadOnlyList<string> Events);

/// <summary>The catalogue's stream as the command pipeline sees it. Only the strategy office sends its commands (endpoint policy).</summary>
public sealed class CatalogStream : StreamKind<CatalogState, ICatalogEvent>
{
    public static readonly CatalogStream Kind = new();

    public override string Noun => "catalogue";

    public override IResult NotFound(Guid id) => Problems.NotFound("catalog", "The catalogue has not been recorded yet.");

    public override string Location(Guid id) => CatalogEndpoint.Route;

    public override object Accepted(Guid id, CatalogState? before, IReadOnlyList<ICatalogEvent> events, long version) =>
        new CatalogCommandAccepted(version, Names(events));

    internal static EventInfo Info(IEvent e) => new(e.Version, MeasureProjection.AsStored(e.Timestamp));

    /// <summary>The catalogue's events folded up to and including <paramref name="last"/>.</summary>
    public static CatalogState? Fold(IEnumerable<IEvent> events, Func<IEvent, bool> last) =>
        events.Where(e => e.Data is ICatalogEvent).TakeWhile(last)
            .Aggregate((CatalogState?)null, (s, e) => CatalogState.Evolve(s, (ICatalogEvent)e.Data, Info(e), e.StreamId));
}

/// <summary>Inline projection of the catalogue: the domain's own evolve.</summary>
public partial class CatalogProjection : SingleStreamProjection<CatalogState, Guid>
{
    public CatalogProjection()
    {
        foreach (var type in EventTypes.OfKind<ICatalogEvent>())
        {
            IncludeType(type);
        }
    }

    public override CatalogState? Evolve(CatalogState? snapshot, Guid id, IEvent e) =>
        e.Data is ICatalogEvent data ? CatalogState.Evolve(snapshot, data, CatalogStream.Info(e), id) : snapshot;
}

/// <summary>
/// Reads the catalogue: the current version (kept in the process and reused while the stream's
/// version is unchanged, so another node's change is seen on the next read), any earlier version
/// and the version at a moment. Records version 1, the shipped catalogue, when it is missing.
/// </summary>
public sealed class CatalogReader(IDocumentStore store, SubjectDirectory subjects, EventLedger ledger, ILogger<CatalogReader> logger)
{
    /// <summary>The subject that records the shipped catalogue, under a pseudonym like everyone who acts.</summary>
    public static readonly SubjectIdentity Seeder = new("seed", null, "catalog-seed", null, null);

    private CatalogState? _current;

    /// <summary>The current catalogue. One cheap read of the stream's version; the state is read again only when it moved.</summary>
    public async Task<CatalogState> CurrentAsync(IQuerySession session, CancellationToken ct)
    {
        var stream = await session.Events.FetchStreamStateAsync(CatalogState.StreamId, ct);
        if (stream is null)
        {
            await EnsureSeededAsync(ct);
            stream = await session.Events.FetchStreamStateAsync(CatalogState.StreamId, ct);
        }
        var cached = _current;
        if (cached is not null && stream is not null && cached.Version == stream.Version)
        {
            return cached;
        }
        var state = await session.LoadAsync<CatalogState>(CatalogState.StreamId, ct) ?? CatalogState.Shipped;
        if (cached is null || state.Version > cached.Version)
        {
            _current = state;
        }
        return state;
    }

    /// <summary>Every event of the catalogue's stream, in order (a short stream: one event per change).</summary>
    public static async Task<IReadOnlyList<IEvent>> EventsAsync(IQuerySession session, CancellationToken ct) =>
        await session.Events.FetchStreamAsync(CatalogState.StreamId, token: ct);

    /// <summary>
    /// Records the shipped catalogue as version 1 unless the stream exists. Starting the stream
    /// expects it not to exist: of two nodes starting at once, one records it, the other's start
    /// is refused by the store and it reads what the first recorded.
    /// </summary>
    public async Task EnsureSeededAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.Events.FetchStreamStateAsync(CatalogState.StreamId, ct) is not null)
        {
            return;
        }
        var actor = await subjects.PseudonymOfAsync(Seeder, ct);
        var metadata = new CommandMetadata(actor, StrategyCatalog.SenateChancellery, null, Guid.NewGuid().ToString("N"));
        EventLedger.StartStream<CatalogState>(session, CatalogState.StreamId, ledger.Now([CatalogState.ShippedEvent()]), metadata);
        try
        {
            await session.SaveChangesAsync(ct);
            logger.LogInformation("Recorded the shipped catalogue as version 1");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await using var check = store.QuerySession();
            if (await check.Events.FetchStreamStateAsync(CatalogState.StreamId, ct) is null)
            {
                throw;
            }
        }
    }
}

/// <summary>Records the shipped catalogue at start (before the demo data, which is decided against it).</summary>
public sealed class CatalogSeeder(CatalogReader reader, ILogger<CatalogSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await reader.EnsureSeededAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database may be down or its schema not applied yet: the first read records it then.
            logger.LogWarning(e, "Could not record the shipped catalogue at start; the first read of the catalogue will");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class CatalogSetup
{
    /// <summary>The catalogue: its one stream (state inline), the reader and the start-up seeding.</summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.ConfigureMarten(opts => opts.Projections.Add<CatalogProjection>(ProjectionLifecycle.Inline));
        services.AddSingleton<CatalogReader>();
        services.AddHostedService<CatalogSeeder>();
        return services;
    }
}

using Npgsql;
using NpgsqlTypes;
using Weasel.Postgresql.Tables;

namespace GemeinsamDigital.Api.Webhooks;

/// <summary>Where a delivery stands.</summary>
public static class DeliveryStatus
{
    /// <summary>Not yet received: waiting for its turn, its next attempt, or being sent.</summary>
    public const string Pending = "pending";

    /// <summary>The receiver answered 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>Every attempt failed: kept as a dead letter until redelivered.</summary>
    public const string Dead = "dead";

    /// <summary>Its subscription was deleted before it was delivered.</summary>
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Dead, Cancelled];
}

/// <summary>One delivery of one change to one subscription, as stored.</summary>
public sealed record WebhookDelivery(string Id, Guid SubscriptionId, Guid MeasureId, long Sequence, long Version, string EventType,
    string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, int? LastStatusCode, string? LastError);

/// <summary>A delivery being sent: what to send where.</summary>
public sealed record ClaimedDelivery(string Id, Guid SubscriptionId, Guid MeasureId, long Sequence, string Body, int Attempts);

/// <summary>
/// The delivery queue, a table of its own: one row per change and subscription, made by
/// <see cref="ChangeFanOut"/> in the transaction that records its progress, so a change is queued
/// exactly once. Within a subscription, a measure's deliveries go out one at a time in sequence
/// order: a delivery is only due when no earlier one of the same measure is still pending.
/// </summary>
public static class WebhookDeliveries
{
    public const string TableName = "webhook_deliveries";
    private const string Table = $"{EventStoreSetup.Schema}.{TableName}";

    public static Table Definition()
    {
        var table = new Table(Table);
        table.AddColumn<string>("id").AsPrimaryKey();
        table.AddColumn<Guid>("subscription_id").NotNull();
        table.AddColumn<Guid>("measure_id").NotNull();
        table.AddColumn<long>("sequence").NotNull();
        table.AddColumn<long>("version").NotNull();
        table.AddColumn<string>("event_type").NotNull();
        table.AddColumn("body", "text").NotNull();
        table.AddColumn<string>("status").NotNull();
        table.AddColumn<int>("attempts").NotNull();
        table.AddColumn("created_at", "timestamptz").NotNull();
        table.AddColumn("next_attempt_at", "timestamptz").AllowNulls();
        table.AddColumn("lease_until", "timestamptz").AllowNulls();
        table.AddColumn("delivered_at", "timestamptz").AllowNulls();
        table.AddColumn<int>("last_status_code").AllowNulls();
        table.AddColumn<string>("last_error").AllowNulls();
        // The pending queue: in due order, in each measure's order, and what is leased (see ClaimAsync).
        table.Indexes.Add(new IndexDefinition("ix_webhook_deliveries_due") { Columns = ["next_attempt_at", "sequence"], Predicate = "status = 'pending'" });
        table.Indexes.Add(new IndexDefinition("ix_webhook_deliveries_pending") { Columns = ["subscription_id", "measure_id", "sequence"], Predicate = "status = 'pending'" });
        table.Indexes.Add(new IndexDefinition("ix_webhook_deliveries_leased") { Columns = ["lease_until"], Predicate = "status = 'pending'" });
        table.Indexes.Add(new IndexDefinition("ix_webhook_deliveries_list") { Columns = ["subscription_id", "status", "sequence"] });
        return table;
    }

    /// <summary>The statement that queues deliveries (arrays of ids, subscriptions, measures, sequences, versions, types, bodies); one already queued stays as it is.</summary>
    public const string QueueSql =
        $"""
        insert into {Table} (id, subscription_id, measure_id, sequence, version, event_type, body, status, attempts, created_at, next_attempt_at)
        select d.id, d.subscription_id, d.measure_id, d.sequence, d.version, d.event_type, d.body, '{DeliveryStatus.Pending}', 0, now(), now()
        from unnest(?::text[], ?::uuid[], ?::uuid[], ?::bigint[], ?::bigint[], ?::text[], ?::text[])
          as d(id, subscription_id, measure_id, sequence, version, event_type, body)
        on conflict (id) do nothing
        """;

    /// <summary>The webhook-id of a change's delivery to a subscription: the same on every attempt, so a receiver can drop repeats.</summary>
    public static string IdOf(Guid subscription, long sequence) => $"msg_{subscription:N}_{sequence}";

    /// <summary>The longest webhook-id: "msg_", 32 hex digits, "_", 19 digits.</summary>
    public const int MaxIdLength = 4 + 32 + 1 + 19;

    /// <summary>
    /// Leases up to <paramref name="count"/> due deliveries, at most one per subscription and measure (the
    /// earliest pending: the ones behind it wait for it) and at most <paramref name="perSubscription"/> per
    /// subscription on their way at once (counting those leased already, on any node), for <paramref name="lease"/>:
    /// a node that dies while sending leaves them to others after it.
    /// </summary>
    /// <remarks>
    /// The plan is pinned to index probes: pending deliveries in due order, each checked for an earlier
    /// pending one of its measure along the (subscription, measure, sequence) index, until enough are found.
    /// Left to the planner, statistics taken while the queue was empty made it check each candidate
    /// against every pending row, quadratic in a backlog (a claim took minutes at 40,000 pending rows).
    /// </remarks>
    public static async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(NpgsqlDataSource db, int count, int perSubscription, TimeSpan lease, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var pin = new NpgsqlCommand("set local enable_seqscan = off; set local enable_hashjoin = off; set local enable_mergejoin = off", connection, transaction))
        {
            await pin.ExecuteNonQueryAsync(ct);
        }
        await using var command = new NpgsqlCommand(
            $"""
            with leased as (
              select subscription_id, count(*) as n from {Table}
              where status = '{DeliveryStatus.Pending}' and lease_until >= now() group by subscription_id),
            candidates as (
              select d.id, d.subscription_id, d.sequence, d.next_attempt_at from {Table} d
              where d.status = '{DeliveryStatus.Pending}' and d.next_attempt_at <= now() and (d.lease_until is null or d.lease_until < now())
                and d.subscription_id not in (select subscription_id from leased where n >= $3)
                and not exists (select 1 from {Table} p
                  where p.subscription_id = d.subscription_id and p.measure_id = d.measure_id
                    and p.status = '{DeliveryStatus.Pending}' and p.sequence < d.sequence)
              order by d.next_attempt_at, d.sequence
              limit $1 * 4),
            ready as (
              select c.*, row_number() over (partition by c.subscription_id order by c.next_attempt_at, c.sequence) as rank from candidates c),
            due as (
              select t.id from {Table} t join ready r on r.id = t.id left join leased l on l.subscription_id = r.subscription_id
              where r.rank <= $3 - coalesce(l.n, 0)
                and t.status = '{DeliveryStatus.Pending}' and (t.lease_until is null or t.lease_until < now())
              order by r.next_attempt_at, r.sequence
              limit $1
              for update of t skip locked)
            update {Table} t set lease_until = now() + $2
            from due where t.id = due.id
            returning t.id, t.subscription_id, t.measure_id, t.sequence, t.body, t.attempts
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = count, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = lease, NpgsqlDbType = NpgsqlDbType.Interval });
        command.Parameters.Add(new NpgsqlParameter { Value = perSubscription, NpgsqlDbType = NpgsqlDbType.Integer });
        var claimed = new List<ClaimedDelivery>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                claimed.Add(new ClaimedDelivery(reader.GetString(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt64(3), reader.GetString(4), reader.GetInt32(5)));
            }
        }
        await transaction.CommitAsync(ct);
        return claimed;
    }

    /// <summary>The earliest time a pending delivery falls due (null: none pending); in the past when some are due now but wait behind others.</summary>
    public static async Task<DateTimeOffset?> NextDueAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"select min(next_attempt_at) from {Table} where status = '{DeliveryStatus.Pending}'");
        return await command.ExecuteScalarAsync(ct) is DateTime due ? new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)) : null;
    }

    public static async Task DeliveredAsync(NpgsqlDataSource db, string id, int statusCode, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"""
            update {Table} set status = '{DeliveryStatus.Delivered}', attempts = attempts + 1, delivered_at = now(), next_attempt_at = null,
              lease_until = null, last_status_code = $2, last_error = null
            where id = $1 and status = '{DeliveryStatus.Pending}'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = statusCode });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records a failed attempt: the next one after <paramref name="retryAfter"/>, or a dead letter when it was the last.</summary>
    public static async Task FailedAsync(NpgsqlDataSource db, string id, int? statusCode, string error, TimeSpan? retryAfter, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"""
            update {Table} set attempts = attempts + 1, lease_until = null, last_status_code = $2, last_error = $3,
              status = case when $4::interval is null then '{DeliveryStatus.Dead}' else status end,
              next_attempt_at = case when $4::interval is null then null else now() + $4::interval end
            where id = $1 and status = '{DeliveryStatus.Pending}'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)statusCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = error.Length > 500 ? error[..500] : error });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)retryAfter ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Interval });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Ends the pending deliveries of a deleted subscription.</summary>
    public static async Task CancelAsync(NpgsqlDataSource db, Guid subscription, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"update {Table} set status = '{DeliveryStatus.Cancelled}', lease_until = null, next_attempt_at = null where subscription_id = $1 and status = '{DeliveryStatus.Pending}'");
        command.Parameters.Add(new NpgsqlParameter { Value = subscription });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Queues dead (or delivered) deliveries again, with fresh attempts; the id (one, or null for every dead one) selects them.</summary>
    public static async Task<int> RedeliverAsync(NpgsqlDataSource db, Guid subscription, string? id, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"""
            update {Table} set status = '{DeliveryStatus.Pending}', attempts = 0, next_attempt_at = now(), lease_until = null
            where subscription_id = $1 and (($2::text is null and status = '{DeliveryStatus.Dead}') or (id = $2 and status in ('{DeliveryStatus.Dead}', '{DeliveryStatus.Delivered}')))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = subscription });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<WebhookDelivery?> FindAsync(NpgsqlDataSource db, Guid subscription, string id, CancellationToken ct) =>
        (await ListAsync(db, subscription, null, id, 0, 1, ct)).Items.SingleOrDefault();

    /// <summary>A subscription's deliveries, the newest change first.</summary>
    public static async Task<(IReadOnlyList<WebhookDelivery> Items, long Total)> ListAsync(NpgsqlDataSource db, Guid subscription, string? status, string? id,
        int offset, int count, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"""
            select id, subscription_id, measure_id, sequence, version, event_type, status, attempts, created_at, next_attempt_at, delivered_at,
              last_status_code, last_error, count(*) over ()
            from {Table}
            where subscription_id = $1 and ($2::text is null or status = $2) and ($3::text is null or id = $3)
            order by sequence desc, id
            offset $4 limit $5
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = subscription });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = offset });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var items = new List<WebhookDelivery>();
        long total = 0;
        while (await reader.ReadAsync(ct))
        {
            total = reader.GetInt64(13);
            items.Add(new WebhookDelivery(reader.GetString(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetString(5),
                reader.GetString(6), reader.GetInt32(7), reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetInt32(11), reader.IsDBNull(12) ? null : reader.GetString(12)));
        }
        return (items, total);
    }

    /// <summary>How many deliveries a subscription has in each status.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> CountsAsync(NpgsqlDataSource db, Guid subscription, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"select status, count(*) from {Table} where subscription_id = $1 group by status");
        command.Parameters.Add(new NpgsqlParameter { Value = subscription });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var counts = DeliveryStatus.All.ToDictionary(s => s, _ => 0L);
        while (await reader.ReadAsync(ct))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }
}

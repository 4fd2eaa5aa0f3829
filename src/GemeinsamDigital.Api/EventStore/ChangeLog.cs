using GemeinsamDigital.Domain.Measures;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace GemeinsamDigital.Api.EventStore;

/// <summary>One stored event of a measure, as a change: where it stands in the global order and what it did.</summary>
/// <param name="Sequence">The event's global sequence.</param>
/// <param name="MeasureId">The measure (its stream).</param>
/// <param name="Version">The measure's version after the event.</param>
/// <param name="Type">The stored event type.</param>
/// <param name="Stage">The measure's stage after the event.</param>
/// <param name="Timestamp">When it was recorded.</param>
/// <param name="Administration">The administration that acted.</param>
/// <param name="Actor">Who acted (personal data).</param>
public sealed record StoredChange(long Sequence, Guid MeasureId, long Version, string Type, MeasureStage Stage, DateTimeOffset Timestamp, string? Administration, string? Actor);

/// <summary>Which measures' changes to read, by their current team and by event type (all given conditions together).</summary>
public sealed record ChangeSelection(string? Lead = null, string? Participating = null, string? District = null, IReadOnlyList<string>? Types = null)
{
    public static readonly ChangeSelection All = new();

    public bool IsAll => Lead is null && Participating is null && District is null && Types is not { Count: > 0 };
}

/// <summary>
/// Measure events in global order, read straight from mt_events up to a bound the caller takes from
/// the high water mark (so nothing can still commit below it). The stage after each event is the
/// stage its stream's last stage-entering event up to it entered: one backward probe along the
/// stream's (stream_id, version) index per event, no fold.
/// </summary>
public sealed class ChangeLog(IServiceProvider services)
{
    // Resolved on use: the store's own configuration builds the subscription that reads through this.
    private IDocumentStore Store => services.GetRequiredService<IDocumentStore>();

    private const string Schema = EventStoreSetup.Schema;

    /// <summary>The stage each stage-entering event type enters; every other measure event leaves the stage as it is.</summary>
    public static readonly IReadOnlyDictionary<Type, MeasureStage> StageEntered = new Dictionary<Type, MeasureStage>
    {
        [typeof(MeasureProposed)] = MeasureStage.Idea,
        [typeof(ProblemUnderstood)] = MeasureStage.ProblemUnderstood,
        [typeof(GoalsDefined)] = MeasureStage.GoalsDefined,
        [typeof(MeasureMandated)] = MeasureStage.Mandated,
        [typeof(PilotStarted)] = MeasureStage.Pilot,
        [typeof(EvaluationStarted)] = MeasureStage.Evaluation,
        [typeof(EvaluationCompleted)] = MeasureStage.Evaluated,
        [typeof(MeasureScaled)] = MeasureStage.Scaled,
        [typeof(MeasureIterated)] = MeasureStage.Iterated,
        [typeof(MeasureStopped)] = MeasureStage.Stopped,
        [typeof(MeasureWithdrawn)] = MeasureStage.Withdrawn,
        [typeof(MeasureArchived)] = MeasureStage.Archived,
    };

    private static readonly Dictionary<string, MeasureStage> _stageByName = BuildStageNames();

    /// <summary>The stored names of measure events (the current ones and the upcast first proposal).</summary>
    public static readonly IReadOnlyList<string> MeasureEventNames =
        [.. EventTypes.OfKind<IMeasureEvent>().Select(EventTypes.NameOf), MeasureProposedV1.StoredName];

    private static Dictionary<string, MeasureStage> BuildStageNames()
    {
        var names = StageEntered.ToDictionary(p => EventTypes.NameOf(p.Key), p => p.Value);
        names[MeasureProposedV1.StoredName] = MeasureStage.Idea;
        return names;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> changes with a sequence in (<paramref name="after"/>, <paramref name="upTo"/>]
    /// of the selected measures, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<StoredChange>> ReadAsync(long after, long upTo, int limit, ChangeSelection selection, CancellationToken ct)
    {
        if (upTo <= after)
        {
            return [];
        }
        var conditions = new List<string>();
        var command = new NpgsqlCommand();
        void Add(string name, object value, NpgsqlDbType type) => command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        Add("after", after, NpgsqlDbType.Bigint);
        Add("up_to", upTo, NpgsqlDbType.Bigint);
        Add("limit", limit, NpgsqlDbType.Integer);
        Add("measure_types", MeasureEventNames.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        Add("stage_types", _stageByName.Keys.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        if (selection.Types is { Count: > 0 } types)
        {
            conditions.Add("e.type = any(@types)");
            Add("types", types.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        }
        // The measure's current team, as the measure list filters it (Measures/MeasureSearch).
        if (selection.Lead is { } lead)
        {
            conditions.Add("m.data ->> 'lead' = @lead");
            Add("lead", lead, NpgsqlDbType.Text);
        }
        if (selection.Participating is { } participating)
        {
            conditions.Add("m.data -> 'participating' @> @participating");
            Add("participating", Codes(participating), NpgsqlDbType.Jsonb);
        }
        if (selection.District is { } district)
        {
            conditions.Add("(m.data ->> 'lead' = @district or m.data -> 'participating' @> @district_json)");
            Add("district", district, NpgsqlDbType.Text);
            Add("district_json", Codes(district), NpgsqlDbType.Jsonb);
        }
        var join = selection.Lead is null && selection.Participating is null && selection.District is null
            ? ""
            : $"join {Schema}.mt_doc_measurestate m on m.id = e.stream_id";
        var where = conditions.Count == 0 ? "" : " and " + string.Join(" and ", conditions);
        command.CommandText =
            $"""
            select e.seq_id, e.stream_id, e.version, e.type, e.timestamp,
              e.headers ->> '{CommandMetadata.AdministrationHeader}', e.headers ->> '{CommandMetadata.ActorHeader}',
              (select s.type from {Schema}.mt_events s
               where s.stream_id = e.stream_id and s.version <= e.version and s.type = any(@stage_types)
               order by s.version desc limit 1)
            from {Schema}.mt_events e {join}
            where e.seq_id > @after and e.seq_id <= @up_to and e.type = any(@measure_types){where}
            order by e.seq_id
            limit @limit
            """;

        await using var connection = Store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        command.Connection = connection;
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            var changes = new List<StoredChange>();
            while (await reader.ReadAsync(ct))
            {
                var stageType = reader.IsDBNull(7) ? null : reader.GetString(7);
                changes.Add(new StoredChange(
                    reader.GetInt64(0),
                    reader.GetGuid(1),
                    reader.GetInt64(2),
                    reader.GetString(3),
                    stageType is not null && _stageByName.TryGetValue(stageType, out var stage) ? stage : MeasureStage.Idea,
                    reader.GetFieldValue<DateTimeOffset>(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6)));
            }
            return changes;
        }
    }

    private static string Codes(string code) => System.Text.Json.JsonSerializer.Serialize((string[])[code]);
}

using System.Text.Json;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Measures;

/// <summary>A page of measures.</summary>
public sealed record MeasurePage(IReadOnlyList<MeasureState> Items, int Page, int PageSize, long Total, int PageCount);

/// <summary>One recorded event of a measure's stream.</summary>
/// <param name="Version">The stream version of the event.</param>
/// <param name="Sequence">Its global sequence.</param>
/// <param name="Type">The stored event type.</param>
/// <param name="Timestamp">When it was recorded.</param>
/// <param name="Actor">Who acted: a pseudonym ("subj_…"; events stored before pseudonyms keep the subject they were stored with).</param>
/// <param name="ActorName">The name behind the pseudonym; null once the subject is erased (and for events stored before pseudonyms).</param>
/// <param name="Administration">The administration the actor acted for.</param>
/// <param name="Reason">Why (X-Reason).</param>
/// <param name="CorrelationId">The causal chain.</param>
/// <param name="CausationId">What caused it.</param>
/// <param name="Data">The event's data.</param>
/// <param name="Hash">Its link in the stream's hash chain.</param>
public sealed record MeasureEventView(
    long Version,
    long Sequence,
    string Type,
    DateTimeOffset Timestamp,
    string? Actor,
    string? ActorName,
    string? Administration,
    string? Reason,
    string? CorrelationId,
    string? CausationId,
    JsonElement Data,
    string? Hash);

public static class MeasureQueries
{
    public const int MaxPageSize = 200;
    public const int MaxPage = 1_000_000;

    /// <summary>The measure's current state, with its stage history; or, with version or asOf, the state as it was then.</summary>
    /// <remarks>When the measure's last integrity check failed (its stored events were changed), the answer carries the header
    /// Integrity-Status and the member integrity: {status: broken, checkedAt, checkedBy, firstMismatch}.</remarks>
    /// <param name="id">The measure.</param>
    /// <param name="version">The state right after this version (from 1).</param>
    /// <param name="asOf">The state at this moment: ISO 8601 with offset, e.g. 2024-05-01T12:00:00Z, or a date alone meaning 00:00 UTC; not in the future.</param>
    /// <param name="session">Marten session.</param>
    /// <param name="integrity">Which streams failed their last integrity check.</param>
    /// <param name="events">Event reader for time travel.</param>
    /// <param name="snapshots">Stored states time travel starts from.</param>
    /// <param name="series">The measurement series, which the stored state leaves out.</param>
    /// <param name="rows">The live monitoring rows, whose series a read continues.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [WolverineGet("/api/measures/{id}", OperationId = "getMeasure")]
    [AllowAnonymous]
    [Tags("Measures")]
    [EndpointSummary("Read a measure, now or as it was")]
    [ProducesResponseType<MeasureState>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Get(Guid id, long? version, string? asOf, IQuerySession session, ResolvedEvents events, MeasureSnapshots snapshots,
        MeasurementSeries series, MonitoringRowCache rows, IntegrityMonitor integrity, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        Links.ToMeasureResources(http, id);
        if (version is not null || !string.IsNullOrWhiteSpace(asOf))
        {
            return await TimeTravel.ReadAsync(id, version, asOf, session, events, snapshots, integrity, clock, http, ct);
        }
        var measure = await session.LoadAsync<MeasureState>(id, ct);
        if (measure is null)
        {
            return Problems.MeasureNotFound(id);
        }
        ETags.Set(http.Response, measure.Version);
        return ETags.NoneMatch(http.Request, measure.Version)
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : IntegrityNotice.Answer(http, await series.WithSeriesAsync(measure, rows.Measure, ct), await integrity.NoticeAsync(id, ct));
    }

    /// <summary>
    /// Measures, newest first unless sorted otherwise, filtered by stage, administrations, catalogue codes, external id,
    /// last change and full-text search (all filters together). With changedAfterSequence, the changes after a client's cursor.
    /// </summary>
    /// <param name="stage">Only measures in this stage (its code, e.g. pilot or problem-understood; see GET /api/catalog).</param>
    /// <param name="lead">Only measures led by this administration (catalogue code, e.g. ba-mitte); with externalId, the one measure carrying that administration's key.</param>
    /// <param name="district">Only measures this district (Bezirksamt code, e.g. ba-neukoelln) leads or participates in, as the dashboards' district filter.</param>
    /// <param name="participating">Only measures this administration participates in (catalogue code; the lead alone does not count).</param>
    /// <param name="type">Only measures of this type (zentral, dezentral, netzwerk, arena-der-ideen).</param>
    /// <param name="perspective">Only measures serving this Zukunftsperspektive (zp1 … zp7).</param>
    /// <param name="principle">Only measures that declare a contribution to this Leitgedanke (e.g. nachhaltig) with a weight above 0; a declared weight of 0 does not count.</param>
    /// <param name="plan">Only measures serving this plan of the Land (catalogue list plans, e.g. bek-2030; link-plan).</param>
    /// <param name="externalId">Only measures carrying this external id (the lead administration's own key, compared exactly, blanks around it ignored); every lead's, or with lead that lead's one.</param>
    /// <param name="changedSince">Only measures whose last change (lastActivityAt) lies after this moment: ISO 8601 with offset, e.g. 2024-05-01T12:00:00Z (encode '+' as %2B), or a date alone meaning 00:00 UTC.</param>
    /// <param name="changedAfterSequence">A syncing client's cursor: only measures with an event of a global sequence greater than this (0: every measure), oldest change first.
    /// The answer's X-Event-Sequence header is the cursor to send next (and Link rel=next the request to send next, while more follow). Not with sort.</param>
    /// <param name="q">Full-text search in title and description (German stemming; web-search syntax: "a b" both, a or b, -a not, quotes for a phrase).</param>
    /// <param name="sort">title, proposedAt, stage (lifecycle order) or lastActivityAt (time of the last change); prefix '-' for descending (default -proposedAt).
    /// Not with changedAfterSequence, whose answer is in the order of the changes.</param>
    /// <param name="page">1-based page number.</param>
    /// <param name="pageSize">Items per page, 1 to 200 (default 50).</param>
    /// <param name="format">json (default), csv or csv-de (see <see cref="Tables"/>): the same page, one row per measure, the same columns whatever the page holds; nested objects as prefixed columns, lists of codes joined with ';', other lists as JSON.
    /// Without it, Accept: application/geo+json answers a GeoJSON FeatureCollection of the located measures that match (pages count located measures only).</param>
    /// <param name="session">Marten session.</param>
    /// <param name="series">The measurement series, which the stored states leave out.</param>
    /// <param name="rows">The live monitoring rows, whose series a read continues.</param>
    /// <param name="http">The request (for the paging links).</param>
    /// <param name="ct">Request aborted.</param>
    [ConditionalRead]
    [WolverineGet("/api/measures", OperationId = "listMeasures")]
    [AllowAnonymous]
    [AnswersTable]
    [AnswersGeoJson(typeof(MeasureFeatureCollection))]
    [Tags("Measures")]
    [EndpointSummary("List measures")]
    [ProducesResponseType<MeasurePage>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    public static async Task<IResult> List(
        string? stage, string? lead, string? district, string? participating, string? type, string? perspective, string? principle, string? plan,
        string? externalId, string? changedSince, long? changedAfterSequence, string? q, string? sort, int? page, int? pageSize, string? format,
        IQuerySession session, MeasurementSeries series, MonitoringRowCache rows, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var filter = MeasureFilter.Parse(stage, lead, district, participating, type, perspective, principle, plan, externalId, changedSince, changedAfterSequence, q, errors);
        var sync = changedAfterSequence is not null;
        var map = GeoJson.Asked(http.Request);
        if (sync && map)
        {
            errors.Add("changedAfterSequence", "'changedAfterSequence' does not go with Accept: application/geo+json: a map pages by number, not by cursor.");
        }
        if (sync && !string.IsNullOrEmpty(sort))
        {
            errors.Add("sort", "'sort' does not go with 'changedAfterSequence': that answer is in the order of the changes (oldest first), the order its cursor needs.");
        }
        var order = sync ? null : MeasureSearch.ParseSort(sort, errors);
        var pageNumber = InRange(page, "page", 1, 1, MaxPage, errors);
        var size = InRange(pageSize, "pageSize", 50, 1, MaxPageSize, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var highWater = sync ? await StreamSequences.HighWaterMarkAsync(session, ct) : 0;
        // A map pages over the located measures only: every page of features is full but the last.
        IQueryable<MeasureState> Filtered() => map
            ? session.Query<MeasureState>().Filter(filter, highWater).Where(m => m.Location != null)
            : session.Query<MeasureState>().Filter(filter, highWater);
        var sorted = sync ? Filtered().OrderByLastChange(highWater) : Filtered().Sort(order!.Value.Key, order.Value.Descending);
        var result = await sorted.ToPagedListAsync(pageNumber, size, ct);
        // Past the last page the paged query finds no row to carry the total: count on their own then
        // (a query of its own: the paged one keeps its statistics).
        var total = result.Count == 0 && pageNumber > 1 ? await Filtered().CountAsync(ct) : result.TotalItemCount;
        var pageCount = (int)((total + size - 1) / size);
        if (sync)
        {
            // Pages follow a cursor, not a number: a measure changed meanwhile moves behind the cursor
            // instead of shifting the pages, so the next page continues after this page's last change.
            var more = result.Count > 0 && total > (long)pageNumber * size;
            var cursor = more
                ? await StreamSequences.LastSequenceAsync(session, result.Last().Id, highWater, ct)
                : Math.Max(highWater, changedAfterSequence!.Value);
            http.Response.Headers[DashboardResponder.SequenceHeader] = cursor.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (more)
            {
                Links.ToNext(http, nameof(changedAfterSequence), cursor, dropped: nameof(page));
            }
        }
        else
        {
            Links.ToPages(http, pageNumber, pageCount);
        }
        return map
            ? GeoJson.Answer(http, MeasureFeatureCollection.Of(result, pageNumber, size, total, pageCount))
            : Tables.Answer(http, format, new MeasurePage(await series.WithSeriesAsync([.. result], rows.Measure, ct), pageNumber, size, total, pageCount), "measures");
    }

    private static readonly JsonEncodedText _items = JsonEncodedText.Encode("items");
    private static readonly JsonEncodedText _next = JsonEncodedText.Encode("next");

    /// <summary>The measure's events in stream order, with version, global sequence, timestamp and metadata (all of them: 'next' is null).</summary>
    /// <param name="id">The measure.</param>
    /// <param name="format">json (default), csv or csv-de (see <see cref="Tables"/>): one row per event, its data as compact JSON.</param>
    /// <param name="stored">The stored events.</param>
    /// <param name="session">Marten session.</param>
    /// <param name="subjects">Names behind the actors' pseudonyms.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [WolverineGet("/api/measures/{id}/events", OperationId = "getMeasureEvents")]
    [AnswersTable]
    [Authorize(Policy = Policies.ReadHistory)]
    [Tags("Measures")]
    [EndpointSummary("Read a measure's events")]
    [ProducesResponseType<ItemList<MeasureEventView>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Events(Guid id, string? format, StoredEvents stored, IQuerySession session, SubjectDirectory subjects, HttpContext http, CancellationToken ct)
    {
        var body = new PooledJsonResult(64 * 1024);
        EventViews.RangeRead read;
        try
        {
            await using var writer = new Utf8JsonWriter(body);
            writer.WriteStartObject();
            writer.WritePropertyName(_items);
            read = await EventViews.WriteRangeAsync(writer, stored, session, subjects, id, 1, long.MaxValue, int.MaxValue, ct);
            writer.WriteNull(_next);
            writer.WriteEndObject();
        }
        catch
        {
            body.Dispose();
            throw;
        }
        if (read.Written == 0)
        {
            body.Dispose();
            return Problems.MeasureNotFound(id);
        }
        ETags.Set(http.Response, read.LastWritten);
        return Tables.Answer(http, format, body, typeof(MeasureEventView), $"measure-{id:D}-events");
    }

    internal static int InRange(int? given, string field, int fallback, int min, int max, FieldErrors errors)
    {
        if (given is not { } value)
        {
            return fallback;
        }
        if (value >= min && value <= max)
        {
            return value;
        }
        errors.Add(field, $"'{field}' must be a whole number from {min} to {max}.");
        return fallback;
    }
}

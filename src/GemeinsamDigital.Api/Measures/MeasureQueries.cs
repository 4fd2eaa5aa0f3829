using System.Text.Json;
using GemeinsamDigital.Domain.Catalog;
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
public sealed record MeasureEventView(
    long Version,
    long Sequence,
    string Type,
    DateTimeOffset Timestamp,
    string? Actor,
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
    /// <param name="id">The measure.</param>
    /// <param name="version">The state right after this version (from 1).</param>
    /// <param name="asOf">The state at this moment: ISO 8601 with offset, e.g. 2024-05-01T12:00:00Z, or a date alone meaning 00:00 UTC; not in the future.</param>
    /// <param name="session">Marten session.</param>
    /// <param name="events">Event reader for time travel.</param>
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
    public static async Task<IResult> Get(Guid id, long? version, string? asOf, IQuerySession session, ResolvedEvents events, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        Links.ToMeasureResources(http, id);
        if (version is not null || !string.IsNullOrWhiteSpace(asOf))
        {
            return await TimeTravel.ReadAsync(id, version, asOf, session, events, clock, http, ct);
        }
        var measure = await session.LoadAsync<MeasureState>(id, ct);
        if (measure is null)
        {
            return Problems.MeasureNotFound(id);
        }
        ETags.Set(http.Response, measure.Version);
        return ETags.NoneMatch(http.Request, measure.Version) ? Results.StatusCode(StatusCodes.Status304NotModified) : Results.Ok(measure);
    }

    /// <summary>Measures, newest first unless sorted otherwise, optionally filtered by stage, lead administration and full-text search.</summary>
    /// <param name="stage">Only measures in this stage (its code, e.g. pilot or problem-understood; see GET /api/catalog).</param>
    /// <param name="lead">Only measures led by this administration (catalogue code, e.g. ba-mitte).</param>
    /// <param name="q">Full-text search in title and description (German stemming; web-search syntax: "a b" both, a or b, -a not, quotes for a phrase).</param>
    /// <param name="sort">title, proposedAt, stage (lifecycle order) or lastActivityAt; prefix '-' for descending (default -proposedAt).</param>
    /// <param name="page">1-based page number.</param>
    /// <param name="pageSize">Items per page, 1 to 200 (default 50).</param>
    /// <param name="format">json (default), csv or csv-de (see <see cref="Tables"/>): the same page, one row per measure; nested objects as prefixed columns, lists of codes joined with ';', other lists as JSON.</param>
    /// <param name="session">Marten session.</param>
    /// <param name="http">The request (for the paging links).</param>
    /// <param name="ct">Request aborted.</param>
    [WolverineGet("/api/measures", OperationId = "listMeasures")]
    [AllowAnonymous]
    [AnswersTable]
    [Tags("Measures")]
    [EndpointSummary("List measures")]
    [ProducesResponseType<MeasurePage>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    public static async Task<IResult> List(string? stage, string? lead, string? q, string? sort, int? page, int? pageSize, string? format, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        MeasureStage? stageFilter = null;
        if (stage is { Length: > 0 } rawStage)
        {
            if (MeasureStages.TryParseCode(rawStage, out var s))
            {
                stageFilter = s;
            }
            else
            {
                errors.Add("stage", $"Unknown stage; one of: {string.Join(", ", MeasureStages.Codes)} (see GET /api/catalog).");
            }
        }
        lead ??= "";
        if (lead.Length > 0 && !StrategyCatalog.IsAdministration(lead))
        {
            errors.Add("lead", "Not a known administration code (see GET /api/catalog).");
        }
        if (q?.Length > MeasureSearch.MaxQuery)
        {
            errors.Add("q", $"'q' must be at most {MeasureSearch.MaxQuery} characters long.");
        }
        else if (q is not null && q.Any(char.IsControl))
        {
            // PostgreSQL text cannot hold NUL; no search term needs control characters.
            errors.Add("q", "'q' must not contain control characters.");
        }
        var order = MeasureSearch.ParseSort(sort, errors);
        var pageNumber = InRange(page, "page", 1, 1, MaxPage, errors);
        var size = InRange(pageSize, "pageSize", 50, 1, MaxPageSize, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        IQueryable<MeasureState> Filtered()
        {
            IQueryable<MeasureState> measures = session.Query<MeasureState>();
            if (stageFilter is { } st)
            {
                measures = measures.Where(m => m.Stage == st);
            }
            if (lead.Length > 0)
            {
                measures = measures.Where(m => m.Lead == lead);
            }
            if (!string.IsNullOrWhiteSpace(q))
            {
                measures = measures.Search(q.Trim());
            }
            return measures;
        }
        var result = await Filtered().Sort(order!.Value.Key, order.Value.Descending).ToPagedListAsync(pageNumber, size, ct);
        // Past the last page the paged query finds no row to carry the total: count on their own then
        // (a query of its own: the paged one keeps its statistics).
        var total = result.Count == 0 && pageNumber > 1 ? await Filtered().CountAsync(ct) : result.TotalItemCount;
        var pageCount = (int)((total + size - 1) / size);
        Links.ToPages(http, pageNumber, pageCount);
        return Tables.Answer(http, format, new MeasurePage([.. result], pageNumber, size, total, pageCount), "measures");
    }

    private static readonly JsonEncodedText _items = JsonEncodedText.Encode("items");
    private static readonly JsonEncodedText _next = JsonEncodedText.Encode("next");

    /// <summary>The measure's events in stream order, with version, global sequence, timestamp and metadata (all of them: 'next' is null).</summary>
    /// <param name="id">The measure.</param>
    /// <param name="format">json (default), csv or csv-de (see <see cref="Tables"/>): one row per event, its data as compact JSON.</param>
    /// <param name="stored">The stored events.</param>
    /// <param name="session">Marten session.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [WolverineGet("/api/measures/{id}/events", OperationId = "getMeasureEvents")]
    [AnswersTable]
    [Authorize(Policy = Policies.ReadHistory)]
    [Tags("Measures")]
    [EndpointSummary("Read a measure's events")]
    [ProducesResponseType<ItemList<MeasureEventView>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Events(Guid id, string? format, StoredEvents stored, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var body = new PooledJsonResult(64 * 1024);
        EventViews.RangeRead read;
        try
        {
            await using var writer = new Utf8JsonWriter(body);
            writer.WriteStartObject();
            writer.WritePropertyName(_items);
            read = await EventViews.WriteRangeAsync(writer, stored, session, id, 1, long.MaxValue, int.MaxValue, ct);
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

using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Audit;

/// <summary>One page of a measure's history.</summary>
/// <param name="MeasureId">The measure.</param>
/// <param name="FromVersion">The first version asked for.</param>
/// <param name="Limit">Most events per page.</param>
/// <param name="Items">The events, in stream order, with all metadata and their hash.</param>
/// <param name="NextFromVersion">Where the next page starts; null on the last page.</param>
/// <param name="Next">Absolute URL of the next page (also the Link header's rel="next"); null on the last page.</param>
public sealed record HistoryPage(Guid MeasureId, long FromVersion, int Limit, IReadOnlyList<MeasureEventView> Items, long? NextFromVersion, string? Next);

public static class HistoryEndpoint
{
    public const int DefaultLimit = 100;

    // An auditor reads a 10,000-event measure in one request; the page is written from the
    // stored rows into one pooled buffer, with no object per event.
    public const int MaxLimit = 10_000;

    private static readonly JsonEncodedText _measureId = JsonEncodedText.Encode("measureId");
    private static readonly JsonEncodedText _fromVersion = JsonEncodedText.Encode("fromVersion");
    private static readonly JsonEncodedText _limit = JsonEncodedText.Encode("limit");
    private static readonly JsonEncodedText _items = JsonEncodedText.Encode("items");
    private static readonly JsonEncodedText _nextFromVersion = JsonEncodedText.Encode("nextFromVersion");
    private static readonly JsonEncodedText _next = JsonEncodedText.Encode("next");

    /// <summary>Every event of a measure in order: type, version, global sequence, timestamp, actor, administration, reason, correlation and causation ids, data and hash.</summary>
    /// <param name="id">The measure.</param>
    /// <param name="fromVersion">First version of the page (default 1).</param>
    /// <param name="limit">Events per page, 1 to 10000 (default 100).</param>
    /// <param name="format">json (default), csv or csv-de (see <see cref="Tables"/>): the same page, one row per event (version, sequence, type, timestamp, actor, actor name, administration, reason, correlation and causation ids, data as compact JSON, hash).</param>
    /// <param name="stored">The stored events.</param>
    /// <param name="session">Marten session (events stored under an old name are read upcast).</param>
    /// <param name="subjects">Names behind the actors' pseudonyms.</param>
    /// <param name="http">The request (the next page's link is absolute).</param>
    /// <param name="ct">Request aborted.</param>
    [Authorize(Policy = Policies.ReadHistory)]
    [AnswersTable]
    [WolverineGet("/api/measures/{id}/history", OperationId = "getMeasureHistory")]
    [Tags("Audit")]
    [EndpointSummary("Replay a measure's history, page by page")]
    [ProducesResponseType<HistoryPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Get(Guid id, long? fromVersion, int? limit, string? format, StoredEvents stored, IQuerySession session, SubjectDirectory subjects, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (fromVersion is < 1)
        {
            errors.Add("fromVersion", "'fromVersion' must be a whole number from 1.");
        }
        var size = MeasureQueries.InRange(limit, "limit", DefaultLimit, 1, MaxLimit, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var from = fromVersion ?? 1;
        // The last version of this page (saturating: fromVersion may be huge).
        var last = from > long.MaxValue - size ? long.MaxValue : from + size - 1;

        // Grown as needed; a stored event is ~100–400 bytes of JSON.
        var body = new PooledJsonResult(Math.Min(size, 256) * 512);
        var found = true;
        try
        {
            await using var writer = new Utf8JsonWriter(body);
            writer.WriteStartObject();
            writer.WriteString(_measureId, id);
            writer.WriteNumber(_fromVersion, from);
            writer.WriteNumber(_limit, size);
            writer.WritePropertyName(_items);
            // One event more than the page tells whether another page follows.
            var read = await EventViews.WriteRangeAsync(writer, stored, session, subjects, id, from, last == long.MaxValue ? last : last + 1, size, ct);
            found = read.StreamVersion is not null || read.Written > 0;
            // A short page: the end of the stream, or a gap (a deleted event) inside the range.
            var next = read.Following ?? (last < long.MaxValue - 1 && read.StreamVersion > last + 1 ? last + 2 : null);
            if (next is { } n)
            {
                writer.WriteNumber(_nextFromVersion, n);
                var nextPage = Links.Absolute(http.Request, $"/api/measures/{id}/history?fromVersion={n}&limit={size}"
                    + (string.IsNullOrEmpty(format) ? "" : $"&format={Uri.EscapeDataString(format)}"));
                writer.WriteString(_next, nextPage);
                Links.Add(http.Response, (nextPage, "next"));
            }
            else
            {
                writer.WriteNull(_nextFromVersion);
                writer.WriteNull(_next);
            }
            writer.WriteEndObject();
        }
        catch
        {
            body.Dispose();
            throw;
        }
        if (!found)
        {
            body.Dispose();
            return Problems.MeasureNotFound(id);
        }
        return Tables.Answer(http, format, body, typeof(MeasureEventView), $"measure-{id:D}-history");
    }
}

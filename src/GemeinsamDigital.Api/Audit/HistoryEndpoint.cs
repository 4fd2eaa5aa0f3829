using GemeinsamDigital.Api.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using GemeinsamDigital.Api.Infrastructure;
using GemeinsamDigital.Api.Measures;
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
/// <param name="Next">Link to the next page; null on the last page.</param>
public sealed record HistoryPage(Guid MeasureId, long FromVersion, int Limit, IReadOnlyList<MeasureEventView> Items, long? NextFromVersion, string? Next);

public static class HistoryEndpoint
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Every event of a measure in order: type, version, global sequence, timestamp, actor, administration, reason, correlation and causation ids, data and hash.</summary>
    /// <param name="id">The measure.</param>
    /// <param name="fromVersion">First version of the page (default 1).</param>
    /// <param name="limit">Events per page, 1 to 1000 (default 100).</param>
    /// <param name="session">Marten session.</param>
    /// <param name="ct">Request aborted.</param>
    [Authorize(Policy = Policies.ReadHistory)]
    [WolverineGet("/api/measures/{id}/history", OperationId = "getMeasureHistory")]
    [Tags("Audit")]
    [EndpointSummary("Replay a measure's history, page by page")]
    [ProducesResponseType<HistoryPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public static async Task<IResult> Get(Guid id, long? fromVersion, int? limit, IQuerySession session, CancellationToken ct)
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

        // One indexed range query on (stream_id, version); one event more than the page tells whether another page follows.
        var events = await session.Events.FetchStreamAsync(id, version: from + size, fromVersion: from, token: ct);
        long? next = events.Count > size ? events[size].Version : null;
        if (next is null)
        {
            // A short page: the end of the stream, or a gap (a deleted event) inside the range.
            var stream = await session.Events.FetchStreamStateAsync(id, ct);
            if (stream is null)
            {
                return Problems.MeasureNotFound(id);
            }
            next = stream.Version > from + size ? from + size + 1 : null;
        }
        var page = events.Take(size).Select(MeasureQueries.ToView).ToList();
        return Results.Ok(new HistoryPage(id, from, size, page, next,
            next is { } n ? $"/api/measures/{id}/history?fromVersion={n}&limit={size}" : null));
    }
}

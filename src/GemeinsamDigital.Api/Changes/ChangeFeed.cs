using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Changes;

/// <summary>One change of a measure: one event, where it stands in the global order, and the stage it left the measure in.</summary>
/// <param name="Sequence">The event's global sequence: the cursor to continue after.</param>
/// <param name="MeasureId">The measure.</param>
/// <param name="Version">The measure's version after the change (its ETag).</param>
/// <param name="Type">The event type (see docs/event-contract.md).</param>
/// <param name="Stage">The measure's stage after the change.</param>
/// <param name="Timestamp">When the change was recorded.</param>
/// <param name="Administration">The administration that acted.</param>
/// <param name="Actor">Who acted, as a pseudonym: only for callers who may read histories (null otherwise).</param>
/// <param name="ActorName">The name behind the pseudonym: only for callers who may read histories, and null once the subject is erased.</param>
/// <param name="Measure">The measure's URL.</param>
public sealed record Change(long Sequence, Guid MeasureId, long Version, string Type, MeasureStage Stage, DateTimeOffset Timestamp,
    string? Administration, string? Actor, string? ActorName, string Measure)
{
    /// <summary>A change; <paramref name="names"/> (the actors' names) only for history readers, else it carries no actor.</summary>
    public static Change Of(StoredChange c, string baseUrl, IReadOnlyDictionary<string, string?>? names) =>
        new(c.Sequence, c.MeasureId, c.Version, c.Type, c.Stage, c.Timestamp, c.Administration, names is null ? null : c.Actor,
            names is not null && c.Actor is not null ? names.GetValueOrDefault(c.Actor) : null,
            $"{baseUrl}/api/measures/{c.MeasureId}");
}

/// <summary>A part of the change feed and the link to the next (there is always one: the feed goes on).</summary>
/// <param name="Items">Changes in global order.</param>
/// <param name="Next">The request for what follows: after = the cursor of this answer, the same filters.</param>
public sealed record ChangePage(IReadOnlyList<Change> Items, string Next);

/// <summary>Which changes a feed reader or a webhook subscription wants: the measure's current team, and event types.</summary>
public static class ChangeFilters
{
    public const int MaxEventTypes = 30;

    /// <summary>Parses the feed's filters (as the measure list's lead, participating and district); event types as a comma-separated list.</summary>
    public static ChangeSelection Parse(string? lead, string? participating, string? district, IEnumerable<string>? eventTypes, FieldErrors errors, string typesField = "eventType")
    {
        var types = (eventTypes ?? []).SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Distinct().ToList();
        if (types.Count > MaxEventTypes)
        {
            errors.Add(typesField, $"At most {MaxEventTypes} event types.");
        }
        foreach (var unknown in types.Where(t => !ChangeLog.MeasureEventNames.Contains(t)).Take(1))
        {
            errors.Add(typesField, $"'{Truncate(unknown)}' is no event type of a measure; one of: {string.Join(", ", ChangeLog.MeasureEventNames)}.");
        }
        return new ChangeSelection(
            errors.FilterCode(lead, "lead", StrategyCatalog.IsAdministration, "administration"),
            errors.FilterCode(participating, "participating", StrategyCatalog.IsAdministration, "administration"),
            errors.FilterCode(district, "district", StrategyCatalog.IsDistrict, "district (Bezirksamt)"),
            types.Count > 0 ? types : null);
    }

    private static string Truncate(string value) => value.Length > 60 ? value[..60] + "…" : value;
}

public static class ChangeFeedEndpoint
{
    public const int MaxLimit = 1000;
    public const int MaxWait = 60;

    /// <summary>
    /// Changes of measures in global order after a cursor: one item per event, oldest first. Only events at or below the high
    /// water mark are answered (every one below it is committed), so no change can appear later below a cursor taken from an answer.
    /// </summary>
    /// <param name="after">The cursor: changes with a greater sequence (0, the default: from the start).</param>
    /// <param name="limit">Most changes in the answer, 1 to 1000 (default 100).</param>
    /// <param name="wait">Seconds to wait, 0 to 60 (default 0), when nothing newer is there yet: the answer comes as soon as a change is committed, or empty when the time is up.</param>
    /// <param name="lead">Only changes of measures this administration now leads.</param>
    /// <param name="participating">Only changes of measures this administration now participates in.</param>
    /// <param name="district">Only changes of measures this district (Bezirksamt) now leads or participates in.</param>
    /// <param name="eventType">Only these event types (comma-separated or repeated), e.g. pilot-started,milestone-missed.</param>
    /// <param name="log">Stored changes.</param>
    /// <param name="signal">Committed-change notifications.</param>
    /// <param name="subjects">Names behind the actors' pseudonyms (for history readers).</param>
    /// <param name="session">Marten session.</param>
    /// <param name="http">The request.</param>
    /// <param name="ct">Request aborted.</param>
    [WolverineGet("/api/changes", OperationId = "listChanges")]
    [AllowAnonymous]
    [Tags("Changes")]
    [ConditionalRead]
    [EndpointSummary("Follow the change feed (long polling with wait)")]
    [EndpointDescription("A syncing client keeps the cursor (X-Event-Sequence, or after= in next) and asks again with it; with wait it is told of the next change within about a second of its commit. "
        + "Filters apply to the measure as it is now. Replaying the feed from 0 gives every measure GET /api/measures lists, with its current version and stage.")]
    [ProducesResponseType<ChangePage>(StatusCodes.Status200OK)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status400BadRequest, Problems.ContentType)]
    public static async Task<IResult> Get(long? after, int? limit, int? wait, string? lead, string? participating, string? district, string[]? eventType,
        ChangeLog log, ChangeSignal signal, IQuerySession session, SubjectDirectory subjects, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var cursor = after ?? 0;
        if (cursor < 0)
        {
            errors.Add("after", "'after' must be a global event sequence, 0 or more.");
        }
        var size = MeasureQueries.InRange(limit, "limit", 100, 1, MaxLimit, errors);
        var seconds = MeasureQueries.InRange(wait, "wait", 0, 0, MaxWait, errors);
        var selection = ChangeFilters.Parse(lead, participating, district, eventType, errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        IReadOnlyList<StoredChange> found;
        long bound;
        while (true)
        {
            // Taken before reading: a commit after the read raises it, so waiting on it misses nothing.
            var next = signal.Next;
            bound = await StreamSequences.HighWaterMarkAsync(session, ct);
            found = await log.ReadAsync(cursor, bound, size, selection, ct);
            if (found.Count > 0 || !await ChangeSignal.WaitAsync(next, deadline - DateTimeOffset.UtcNow, ct))
            {
                break;
            }
        }

        // A full answer ends at its last change; a shorter one has seen everything up to the bound.
        var nextCursor = found.Count == size ? found[^1].Sequence : Math.Max(cursor, bound);
        var baseUrl = Links.Absolute(http.Request, "/").TrimEnd('/');
        var names = Roles.HistoryReaders.Any(http.User.IsInRole) ? await subjects.NamesAsync(found.Select(c => c.Actor), ct) : null;
        var nextUrl = Links.Absolute(http.Request, NextPath(http.Request, nextCursor));
        http.Response.Headers[DashboardResponder.SequenceHeader] = nextCursor.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Links.Add(http.Response, (nextUrl, "next"));
        return Results.Ok(new ChangePage([.. found.Select(c => Change.Of(c, baseUrl, names))], nextUrl));
    }

    // The request's own query with only the cursor changed, so filters, limit and wait are kept.
    private static string NextPath(HttpRequest request, long cursor)
    {
        var query = request.Query.Where(q => !string.Equals(q.Key, "after", StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Prepend($"after={cursor.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        return $"{request.Path}?{string.Join('&', query)}";
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using GemeinsamDigital.Domain.Measures;
using Marten;

namespace GemeinsamDigital.Api.Audit;

/// <summary>Reading the past: the query parameter asOf, parsed one way everywhere.</summary>
public static partial class AsOf
{
    public const string Example = "2024-05-01T12:00:00Z";

    /// <summary>
    /// An ISO 8601 date and time with an explicit offset (Z or ±hh:mm), seconds and fractions optional.
    /// A space where the offset's '+' belongs is read as '+' (an unencoded '+' in a query string arrives as space).
    /// Not in the future of <paramref name="clock"/>.
    /// </summary>
    public static bool TryParse(string raw, TimeProvider clock, out DateTimeOffset at, out string error)
    {
        at = default;
        var text = raw.Trim();
        if (text.Length > 19 && text[^6] == ' ')
        {
            text = string.Concat(text.AsSpan(0, text.Length - 6), "+", text.AsSpan(text.Length - 5));
        }
        if (!Iso8601().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
        {
            error = $"'asOf' must be an ISO 8601 timestamp with offset, e.g. {Example}.";
            return false;
        }
        // UTC: PostgreSQL (Npgsql) accepts only offset 0 for timestamptz parameters.
        at = at.ToUniversalTime();
        var now = clock.GetUtcNow();
        if (at > now)
        {
            error = $"'asOf' ({at:O}) lies in the future; it is now {now:O}.";
            return false;
        }
        error = "";
        return true;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Iso8601();
}

/// <summary>A measure as it was at a version or a point in time, folded from its events by the same projection as today's state.</summary>
public static class TimeTravel
{
    public static async Task<IResult> ReadAsync(Guid id, long? version, string? asOf, IQuerySession session, ResolvedEvents events, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (version is not null && asOf is not null)
        {
            return Problems.Validation("asOf", "Give either 'version' or 'asOf', not both.");
        }
        if (version is < 1)
        {
            return Problems.Validation("version", "'version' must be a whole number from 1.");
        }
        DateTimeOffset? at = null;
        if (asOf is not null)
        {
            if (!AsOf.TryParse(asOf, clock, out var parsed, out var error))
            {
                return Problems.Validation("asOf", error);
            }
            at = parsed;
        }

        // Folded by the projection's own evolve, as Marten's live aggregation would, from events
        // resolved in one synchronous pass (a third of the CPU of AggregateStreamAsync).
        var folded = await events.StreamAsync(id, version, at, ct);
        // A version beyond the stream's last one is not there (not the latest state).
        var state = version is { } wanted && (folded.Count == 0 || folded[^1].Version < wanted) ? null : Fold(folded);
        if (state is null)
        {
            var stream = await session.Events.FetchStreamStateAsync(id, ct);
            if (stream is null)
            {
                return Problems.MeasureNotFound(id);
            }
            if (version is { } v)
            {
                return Problems.NotFound("measure-version",
                    $"Measure '{id}' has {stream.Version} version(s); version {v} does not exist.");
            }
            var first = await session.Events.FetchStreamAsync(id, version: 1, token: ct);
            var proposedAt = first.Count > 0 ? $"; it was proposed at {first[0].Timestamp.ToUniversalTime():O}" : "";
            return Problems.NotFound("measure-not-yet",
                $"Measure '{id}' did not exist yet at {at!.Value.ToUniversalTime():O}{proposedAt}.");
        }
        ETags.Set(http.Response, state.Version);
        return ETags.NoneMatch(http.Request, state.Version) ? Results.StatusCode(StatusCodes.Status304NotModified) : Results.Ok(state);
    }

    private static readonly MeasureProjection Projection = new();

    private static MeasureState? Fold(List<JasperFx.Events.IEvent> events)
    {
        MeasureState? state = null;
        foreach (var e in events)
        {
            state = Projection.Evolve(state, e.StreamId, e);
        }
        return state;
    }
}

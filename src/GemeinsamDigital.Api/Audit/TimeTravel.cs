using GemeinsamDigital.Domain.Measures;
using Marten;

namespace GemeinsamDigital.Api.Audit;

/// <summary>A measure as it was at a version or a point in time, folded from its events by the same projection as today's state.</summary>
public static class TimeTravel
{
    public static async Task<IResult> ReadAsync(Guid id, long? version, string? asOf, IQuerySession session, ResolvedEvents events, IntegrityMonitor integrity,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (version is not null && !string.IsNullOrWhiteSpace(asOf))
        {
            return Problems.Validation(AsOf.Field, "Give either 'version' or 'asOf', not both.");
        }
        if (version is < 1)
        {
            return Problems.Validation("version", "'version' must be a whole number from 1.");
        }
        var errors = new FieldErrors();
        var at = AsOf.Parse(asOf, clock.GetUtcNow(), errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
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
        return ETags.NoneMatch(http.Request, state.Version)
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : IntegrityNotice.Answer(http, state, await integrity.NoticeAsync(id, ct));
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

using GemeinsamDigital.Domain.Measures;
using Marten;

namespace GemeinsamDigital.Api.Tests.Infrastructure;

/// <summary>What a read of a measure must answer, computed without the service's read path.</summary>
public static class MeasureFolds
{
    /// <summary>
    /// Marten's live aggregation by the registered projection (the stored shape, without the
    /// measurement series) with the series of the domain's own fold of the same events put back.
    /// </summary>
    public static async Task<MeasureState?> AsReadAsync(IQuerySession session, Guid id, long version = 0, DateTimeOffset? timestamp = null)
    {
        var stored = await session.Events.AggregateStreamAsync<MeasureState>(id, version, timestamp);
        if (stored is null)
        {
            return null;
        }
        var events = await session.Events.FetchStreamAsync(id, stored.Version);
        var domain = MeasureEvolution.Fold(events.Select(e => ((IMeasureEvent)e.Data, new EventInfo(e.Version, e.Timestamp))));
        return stored with { Measurements = domain.Measurements };
    }
}

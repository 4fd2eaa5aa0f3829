using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Domain.Revisions;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace GemeinsamDigital.Api.Revisions;

/// <summary>Inline projection of a revision phase's state: the domain's own evolve, with the stored version and time.</summary>
public partial class RevisionPhaseProjection : SingleStreamProjection<RevisionPhaseState, Guid>
{
    // Only revision events: saving a measure's events does not load revision phase documents.
    public RevisionPhaseProjection()
    {
        foreach (var type in EventTypes.OfKind<IRevisionEvent>())
        {
            IncludeType(type);
        }
    }

    public override RevisionPhaseState? Evolve(RevisionPhaseState? snapshot, Guid id, IEvent e) =>
        e.Data is IRevisionEvent data
            ? RevisionPhaseEvolution.Evolve(snapshot, data, new EventInfo(e.Version, MeasureProjection.AsStored(e.Timestamp)))
            : snapshot;
}

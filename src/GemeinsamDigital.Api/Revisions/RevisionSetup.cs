using GemeinsamDigital.Domain.Revisions;
using JasperFx.Events.Projections;
using Marten;

namespace GemeinsamDigital.Api.Revisions;

public static class RevisionSetup
{
    /// <summary>
    /// At most one revision phase is open: a unique index over the open phases' read model rows.
    /// The projection is inline, so two concurrent opens cannot both commit (the second fails on
    /// this index, with its events), whatever each of them read before.
    /// </summary>
    public const string OnlyOneOpenIndex = "gd_revision_phase_only_one_open";

    /// <summary>The revision phases' state: an inline projection of their streams.</summary>
    private static void AddRevisionPhases(this StoreOptions opts)
    {
        opts.Projections.Add<RevisionPhaseProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<RevisionPhaseState>()
            .Index(x => x.Status, index =>
            {
                index.Name = OnlyOneOpenIndex;
                index.IsUnique = true;
                index.Predicate = $"(data ->> 'status') = '{RevisionPhaseStatus.Open}'";
            });
    }

    /// <summary>Revision phases: their own streams, state inline; commands go through the command pipeline.</summary>
    public static IServiceCollection AddRevisions(this IServiceCollection services)
    {
        services.ConfigureMarten(opts => opts.AddRevisionPhases());
        services.AddScoped<RevisionReader>();
        return services;
    }
}

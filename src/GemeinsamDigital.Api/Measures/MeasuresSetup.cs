using GemeinsamDigital.Domain.Measures;
using JasperFx.Events.Projections;
using Marten;
using Marten.Schema;

namespace GemeinsamDigital.Api.Measures;

public static class MeasuresSetup
{
    public const string ExternalIdIndex = "uq_measure_external_id_per_lead";

    /// <summary>Measures: their state inline (a client reads its own writes), indexed for the list and its search.</summary>
    public static IServiceCollection AddMeasures(this IServiceCollection services) =>
        services.ConfigureMarten(opts =>
        {
            opts.Projections.Add<MeasureProjection>(ProjectionLifecycle.Inline);
            opts.Schema.For<MeasureState>()
                .Index(x => x.Stage)
                .Index(x => x.Lead)
                // The list's filters and sorts (GET /api/measures): without these each would read every document.
                .Index(x => x.Type)
                .Index(x => x.ExternalId!)
                .Index(x => x.LastActivityAt)
                // A programme's parts (attach's depth check, the roll-up's children).
                .Index(x => x.ProgrammeId!)
                .GinIndexJsonDataMember(x => x.Participating)
                .GinIndexJsonDataMember(x => x.Perspectives)
                .GinIndexJsonDataMember(x => x.Contributions)
                // One external id per lead administration: the rule is the index, so no race breaks it.
                .UniqueIndex(UniqueIndexType.Computed, ExternalIdIndex, x => x.Lead, x => x.ExternalId!)
                // Search in the measure list (GET /api/measures?q=…), German stemming.
                .FullTextIndex(MeasureSearch.RegConfig, x => x.Title, x => x.Description!);
        });
}

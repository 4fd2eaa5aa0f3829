using System.ComponentModel.DataAnnotations;
using GemeinsamDigital.Domain.Catalog;

namespace GemeinsamDigital.Domain.Measures;

/// <summary>The measure now serves a plan of the Land (a catalogue code), with what it contributes.</summary>
public sealed record PlanLinked(string Plan, string? Contribution) : IMeasureEvent;

/// <summary>The measure no longer serves the plan.</summary>
public sealed record PlanUnlinked(string Plan, string? Reason) : IMeasureEvent;

/// <summary>A plan the measure serves: the plan's catalogue code and the measure's contribution to it.</summary>
public sealed record PlanLink(string Plan, string? Contribution, DateTimeOffset LinkedAt, long Version);

/// <summary>
/// Record that the measure serves a plan or departmental strategy of the Land (catalogue list
/// <c>plans</c>): the strategy enables the departments' own plans, and this says which.
/// </summary>
public sealed record LinkPlan(
    [property: Required, Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Plans))] string? Plan,
    [property: MaxLength(FieldErrors.MaxShortText)] string? Contribution) : IMeasureCommand
{
    public static string Name => "link-plan";

    public void Validate(FieldErrors errors)
    {
        errors.Code(Plan, "plan", CatalogLists.Plans, "plan");
        errors.Optional(Contribution, "contribution", FieldErrors.MaxShortText);
    }

    public Decision Decide(MeasureState state) =>
        state.Plans.Any(p => p.Plan == Plan)
            ? Decision.Violation("plan", $"The measure already serves plan '{Plan}'; unlink it first to change what it contributes.")
            : Decision.Accept(new PlanLinked(Plan!, string.IsNullOrWhiteSpace(Contribution) ? null : Contribution.Trim()));
}

/// <summary>Record that the measure no longer serves a plan it was linked to.</summary>
public sealed record UnlinkPlan(
    [property: Required, MaxLength(FieldErrors.MaxCode)] string? Plan,
    [property: MaxLength(FieldErrors.MaxShortText)] string? Reason) : IMeasureCommand
{
    public static string Name => "unlink-plan";

    // Any code the measure holds may go, even one the catalogue no longer offers for new links.
    public void Validate(FieldErrors errors)
    {
        errors.Required(Plan, "plan", FieldErrors.MaxCode);
        errors.Optional(Reason, "reason", FieldErrors.MaxShortText);
    }

    public Decision Decide(MeasureState state) =>
        state.Plans.Any(p => p.Plan == Plan)
            ? Decision.Accept(new PlanUnlinked(Plan!, string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim()))
            : Decision.Violation("plan", $"The measure does not serve plan '{Plan}'.");
}

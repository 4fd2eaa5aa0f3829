using System.ComponentModel.DataAnnotations;
using GemeinsamDigital.Domain.Catalog;

namespace GemeinsamDigital.Domain.Measures;

public sealed record IdeaSourceInput(
    [property: Required, Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.IdeaSources))] string? Kind,
    [property: Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Administrations))] string? Administration,
    [property: MaxLength(FieldErrors.MaxShortText)] string? Detail);

/// <summary>Propose a measure: the idea as first seen, with where it came from.</summary>
public sealed record ProposeMeasure(
    [property: Required, MaxLength(FieldErrors.MaxTitle)] string? Title,
    [property: Required, MaxLength(FieldErrors.MaxText)] string? ProblemStatement,
    [property: MaxLength(FieldErrors.MaxText)] string? Description,
    [property: Required, Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.MeasureTypes))] string? Type,
    [property: Required, Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Administrations))] string? Lead,
    [property: Required, MinLength(1), MaxLength(FieldErrors.MaxItems), Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.FuturePerspectives))] IReadOnlyList<string>? Perspectives,
    IdeaSourceInput? Source,
    [property: MaxLength(FieldErrors.MaxCode)] string? ExternalId = null)
{
    public const string Name = "propose";

    public void Validate(FieldErrors errors)
    {
        errors.Required(Title, "title", FieldErrors.MaxTitle);
        errors.Required(ProblemStatement, "problemStatement", FieldErrors.MaxText);
        errors.Optional(Description, "description", FieldErrors.MaxText);
        errors.Code(Type, "type", CatalogLists.MeasureTypes, "measure type");
        errors.Code(Lead, "lead", CatalogLists.Administrations, "administration");
        errors.Codes(Perspectives, "perspectives", CatalogLists.FuturePerspectives, "Zukunftsperspektive", min: 1);
        if (Source is not null)
        {
            errors.Code(Source.Kind, "source.kind", CatalogLists.IdeaSources, "idea source");
            errors.OptionalCode(Source.Administration, "source.administration", CatalogLists.Administrations, "administration");
            errors.Optional(Source.Detail, "source.detail", FieldErrors.MaxShortText);
        }
        if (ExternalId is not null)
        {
            ExternalIds.Validate(ExternalId, "externalId", errors);
        }
    }

    public Decision Decide(Guid measureId)
    {
        // Without a stated source the idea comes from the lead administration itself.
        var source = Source is null
            ? new IdeaSource("verwaltung", Lead, null)
            : new IdeaSource(Source.Kind!, Source.Administration, Source.Detail);
        return Decision.Accept(new MeasureProposed(
            measureId, Title!.Trim(), ProblemStatement!.Trim(), Description?.Trim(), Type!, Lead!, Perspectives!, source, ExternalIds.Normalize(ExternalId)));
    }
}

public sealed record AffectedGroupInput(
    [property: Required, MaxLength(FieldErrors.MaxShortText)] string? Name,
    [property: Required, Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.StakeholderGroups))] string? StakeholderGroup,
    [property: Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.UnderHeardGroups))] string? UnderHeardGroup);

/// <summary>Problem understanding before goal definition: who is affected, and the evidence.</summary>
public sealed record UnderstandProblem(
    [property: Required, MinLength(1), MaxLength(FieldErrors.MaxItems)] IReadOnlyList<AffectedGroupInput>? AffectedGroups,
    [property: Required, MaxLength(FieldErrors.MaxText)] string? Evidence) : IMeasureCommand
{
    public static string Name => "understand-problem";

    public void Validate(FieldErrors errors)
    {
        errors.Each(AffectedGroups, "affectedGroups", (g, path) =>
        {
            errors.Required(g.Name, $"{path}.name", FieldErrors.MaxShortText);
            errors.Code(g.StakeholderGroup, $"{path}.stakeholderGroup", CatalogLists.StakeholderGroups, "stakeholder group");
            errors.OptionalCode(g.UnderHeardGroup, $"{path}.underHeardGroup", CatalogLists.UnderHeardGroups, "Stille Gruppen");
        }, min: 1);
        errors.Required(Evidence, "evidence", FieldErrors.MaxText);
    }

    public Decision Decide(MeasureState state)
    {
        var groups = AffectedGroups!.Select(g => new AffectedGroup(g.Name!.Trim(), g.StakeholderGroup!, g.UnderHeardGroup)).ToList();
        var misfiled = groups.FindIndex(g => g.UnderHeardGroup is not null && g.StakeholderGroup != "stille-gruppen");
        if (misfiled >= 0)
        {
            return Decision.Violation($"affectedGroups[{misfiled}].underHeardGroup",
                "An under-heard group (Stille Gruppen) belongs to stakeholder group 'stille-gruppen'.");
        }
        return Decision.Accept(new ProblemUnderstood(groups, Evidence!.Trim()));
    }
}

public sealed record ContributionInput(
    [property: Required, Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.GuidingPrinciples))] string? Principle,
    [property: Required, Range(0, DefineGoals.MaxWeight)] int? Weight,
    [property: Required, MaxLength(FieldErrors.MaxText)] string? Rationale);

public sealed record IndicatorInput(
    [property: Required, MaxLength(FieldErrors.MaxCode)] string? Code,
    [property: Required, MaxLength(FieldErrors.MaxTitle)] string? Name,
    [property: Required, MaxLength(FieldErrors.MaxCode)] string? Unit,
    [property: Required] decimal? Baseline,
    [property: Required] decimal? Target);

/// <summary>Goals: the contribution to each Leitgedanke, the Zukunftsperspektiven served, and impact indicators.</summary>
public sealed record DefineGoals(
    [property: Required, MinLength(1), MaxLength(FieldErrors.MaxItems)] IReadOnlyList<ContributionInput>? Contributions,
    [property: Required, MinLength(1), MaxLength(FieldErrors.MaxItems), Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.FuturePerspectives))] IReadOnlyList<string>? Perspectives,
    [property: Required, MinLength(1), MaxLength(FieldErrors.MaxItems)] IReadOnlyList<IndicatorInput>? Indicators) : IMeasureCommand
{
    public static string Name => "define-goals";

    public const int MaxWeight = 3;

    public void Validate(FieldErrors errors)
    {
        errors.Each(Contributions, "contributions", (c, path) =>
        {
            errors.Code(c.Principle, $"{path}.principle", CatalogLists.GuidingPrinciples, "Leitgedanke");
            if (c.Weight is null)
            {
                errors.Add($"{path}.weight", $"'{path}.weight' is required (0 = none … {MaxWeight} = strong).");
            }
            else if (c.Weight is < 0 or > MaxWeight)
            {
                errors.Add($"{path}.weight", $"'{path}.weight' must be between 0 and {MaxWeight}.");
            }
            errors.Required(c.Rationale, $"{path}.rationale", FieldErrors.MaxText);
        }, min: 1);
        errors.Codes(Perspectives, "perspectives", CatalogLists.FuturePerspectives, "Zukunftsperspektive", min: 1);
        errors.Each(Indicators, "indicators", (i, path) =>
        {
            errors.Required(i.Code, $"{path}.code", FieldErrors.MaxCode);
            errors.Required(i.Name, $"{path}.name", FieldErrors.MaxTitle);
            errors.Required(i.Unit, $"{path}.unit", FieldErrors.MaxCode);
            if (i.Baseline is null)
            {
                errors.Add($"{path}.baseline", $"'{path}.baseline' is required.");
            }
            if (i.Target is null)
            {
                errors.Add($"{path}.target", $"'{path}.target' is required.");
            }
        }, min: 1);
    }

    public Decision Decide(MeasureState state)
    {
        var missing = StrategyCatalog.GuidingPrinciples.Select(p => p.Code)
            .Except(Contributions!.Select(c => c.Principle!)).ToList();
        if (missing.Count > 0)
        {
            return Decision.Violation("contributions", $"A contribution to every Leitgedanke is required; missing: {string.Join(", ", missing)}.");
        }
        if (Contributions!.GroupBy(c => c.Principle).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return Decision.Violation("contributions", $"Leitgedanke '{twice.Key}' is given more than once.");
        }
        if (Indicators!.GroupBy(i => i.Code).FirstOrDefault(g => g.Count() > 1) is { } dup)
        {
            return Decision.Violation("indicators", $"Indicator code '{dup.Key}' is used more than once.");
        }
        var same = Indicators!.ToList().FindIndex(i => i.Baseline == i.Target);
        if (same >= 0)
        {
            return Decision.Violation($"indicators[{same}].target", "An indicator's target must differ from its baseline.");
        }
        return Decision.Accept(new GoalsDefined(
            [.. Contributions!.Select(c => new PrincipleContribution(c.Principle!, c.Weight!.Value, c.Rationale!.Trim()))],
            Perspectives!,
            [.. Indicators!.Select(i => new Indicator(i.Code!.Trim(), i.Name!.Trim(), i.Unit!.Trim(), i.Baseline!.Value, i.Target!.Value))]));
    }
}

public sealed record ResponsibilityInput(
    [property: Required, Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Administrations))] string? Administration,
    [property: Required, MaxLength(FieldErrors.MaxShortText)] string? Description);

public sealed record BudgetInput(
    [property: Required] decimal? Amount,
    [property: Codes(typeof(BudgetInput), nameof(BudgetInput.Currencies))] string? Currency)
{
    /// <summary>The currencies a budget may be stated in (absent: EUR).</summary>
    public static readonly IReadOnlyList<string> Currencies = ["EUR"];
}

/// <summary>Mandate and commitment: lead, project team, budget and funding, responsibilities.</summary>
public sealed record MandateMeasure(
    [property: Required, Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Administrations))] string? Lead,
    [property: MaxLength(FieldErrors.MaxItems), Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Administrations))] IReadOnlyList<string>? Participating,
    [property: Required] BudgetInput? Budget,
    [property: Required, MaxLength(FieldErrors.MaxShortText)] string? FundingSource,
    [property: Required, MinLength(1), MaxLength(FieldErrors.MaxItems)] IReadOnlyList<ResponsibilityInput>? Responsibilities) : IMeasureCommand
{
    public static string Name => "mandate";

    public void Validate(FieldErrors errors)
    {
        // A missing (or blank) lead is a broken rule (422), not a malformed request: checked in Decide.
        if (!string.IsNullOrWhiteSpace(Lead))
        {
            errors.Code(Lead, "lead", CatalogLists.Administrations, "administration");
        }
        errors.Codes(Participating, "participating", CatalogLists.Administrations, "administration");
        if (Budget is null)
        {
            errors.Add("budget", "'budget' is required.");
        }
        else
        {
            if (Budget.Amount is null)
            {
                errors.Add("budget.amount", "'budget.amount' is required.");
            }
            if (Budget.Currency is not null && !BudgetInput.Currencies.Contains(Budget.Currency))
            {
                errors.Add("budget.currency", "Only 'EUR' is supported.");
            }
        }
        errors.Required(FundingSource, "fundingSource", FieldErrors.MaxShortText);
        errors.Each(Responsibilities, "responsibilities", (r, path) =>
        {
            errors.Code(r.Administration, $"{path}.administration", CatalogLists.Administrations, "administration");
            errors.Required(r.Description, $"{path}.description", FieldErrors.MaxShortText);
        }, min: 1);
    }

    public Decision Decide(MeasureState state)
    {
        if (string.IsNullOrWhiteSpace(Lead))
        {
            return Decision.Violation("lead", "A mandate needs a lead administration.");
        }
        var participating = Participating ?? [];
        if (participating.Contains(Lead))
        {
            return Decision.Violation("participating", "The lead administration is not also a participating one.");
        }
        if (Budget!.Amount < 0)
        {
            return Decision.Violation("budget.amount", "A budget cannot be negative.");
        }
        var team = participating.Prepend(Lead).ToHashSet();
        var outsider = Responsibilities!.ToList().FindIndex(r => !team.Contains(r.Administration!));
        if (outsider >= 0)
        {
            return Decision.Violation($"responsibilities[{outsider}].administration", "Responsibilities go to the lead or a participating administration.");
        }
        if (!Responsibilities!.Any(r => r.Administration == Lead))
        {
            return Decision.Violation("responsibilities", "The lead administration's responsibility must be stated.");
        }
        return Decision.Accept(new MeasureMandated(
            Lead, participating, new Budget(Budget.Amount!.Value, "EUR"), FundingSource!.Trim(),
            [.. Responsibilities!.Select(r => new Responsibility(r.Administration!, r.Description!.Trim()))]));
    }
}

/// <summary>Withdraw a measure before its mandate.</summary>
public sealed record WithdrawMeasure([property: Required, MaxLength(FieldErrors.MaxText)] string? Reason) : IMeasureCommand
{
    public static string Name => "withdraw";

    public void Validate(FieldErrors errors) => errors.Required(Reason, "reason", FieldErrors.MaxText);

    public Decision Decide(MeasureState state) => Decision.Accept(new MeasureWithdrawn(Reason!.Trim()));
}

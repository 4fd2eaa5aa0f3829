using System.ComponentModel.DataAnnotations;
using GemeinsamDigital.Domain.Catalog;

namespace GemeinsamDigital.Domain.Measures;

/// <summary>Close the pilot and start its evaluation (Wirkungsmessung).</summary>
public sealed record StartEvaluation([property: MaxLength(FieldErrors.MaxText)] string? Note) : IMeasureCommand
{
    public static string Name => "start-evaluation";

    public void Validate(FieldErrors errors) => errors.Optional(Note, "note", FieldErrors.MaxText);

    public Decision Decide(MeasureState state) =>
        state.Risks.FirstOrDefault(r => !r.Resolved && r.Kind == "conflict") is { } open
            ? Decision.Violation("note", $"Conflict '{open.Id}' is still open; resolve it before the evaluation.")
            : Decision.Accept(new EvaluationStarted(state.PilotCycle));
}

public sealed record IndicatorFindingInput([property: Required, MaxLength(FieldErrors.MaxCode)] string? Indicator, [property: Required, MaxLength(FieldErrors.MaxText)] string? Finding, [property: Required] bool? TargetMet);

public sealed record PrincipleFindingInput([property: Required, Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.GuidingPrinciples))] string? Principle, [property: Required, MaxLength(FieldErrors.MaxText)] string? Finding);

/// <summary>Findings per indicator and per Leitgedanke, and the lessons learned.</summary>
public sealed record CompleteEvaluation(
    [property: Required, MinLength(1), MaxLength(FieldErrors.MaxItems)] IReadOnlyList<IndicatorFindingInput>? IndicatorFindings,
    [property: Required, MinLength(1), MaxLength(FieldErrors.MaxItems)] IReadOnlyList<PrincipleFindingInput>? PrincipleFindings,
    [property: Required, MinLength(1), MaxLength(FieldErrors.MaxItems), ItemMaxLength(FieldErrors.MaxText)] IReadOnlyList<string>? Lessons) : IMeasureCommand
{
    public static string Name => "complete-evaluation";

    public void Validate(FieldErrors errors)
    {
        errors.Each(IndicatorFindings, "indicatorFindings", (f, path) =>
        {
            errors.Required(f.Indicator, $"{path}.indicator", FieldErrors.MaxCode);
            errors.Required(f.Finding, $"{path}.finding", FieldErrors.MaxText);
            if (f.TargetMet is null)
            {
                errors.Add($"{path}.targetMet", $"'{path}.targetMet' is required.");
            }
        }, min: 1);
        errors.Each(PrincipleFindings, "principleFindings", (f, path) =>
        {
            errors.Code(f.Principle, $"{path}.principle", CatalogLists.GuidingPrinciples, "Leitgedanke");
            errors.Required(f.Finding, $"{path}.finding", FieldErrors.MaxText);
        }, min: 1);
        errors.Each(Lessons, "lessons", (l, path) => errors.Required(l, path, FieldErrors.MaxText), min: 1);
    }

    public Decision Decide(MeasureState state)
    {
        var defined = state.Indicators.Select(i => i.Code).ToHashSet();
        var unknown = IndicatorFindings!.ToList().FindIndex(f => !defined.Contains(f.Indicator!));
        if (unknown >= 0)
        {
            return Decision.Violation($"indicatorFindings[{unknown}].indicator", $"The measure defines no indicator '{IndicatorFindings![unknown].Indicator}'.");
        }
        if (IndicatorFindings!.GroupBy(f => f.Indicator).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return Decision.Violation("indicatorFindings", $"Indicator '{twice.Key}' has more than one finding.");
        }
        var missing = defined.Except(IndicatorFindings!.Select(f => f.Indicator!)).ToList();
        if (missing.Count > 0)
        {
            return Decision.Violation("indicatorFindings", $"A finding for every indicator is required; missing: {string.Join(", ", missing.Order())}.");
        }
        var principlesMissing = StrategyCatalog.GuidingPrinciples.Select(p => p.Code).Except(PrincipleFindings!.Select(f => f.Principle!)).ToList();
        if (principlesMissing.Count > 0)
        {
            return Decision.Violation("principleFindings", $"A finding for every Leitgedanke is required; missing: {string.Join(", ", principlesMissing)}.");
        }
        if (PrincipleFindings!.GroupBy(f => f.Principle).FirstOrDefault(g => g.Count() > 1) is { } again)
        {
            return Decision.Violation("principleFindings", $"Leitgedanke '{again.Key}' has more than one finding.");
        }
        return Decision.Accept(new EvaluationCompleted(
            state.PilotCycle,
            [.. IndicatorFindings!.Select(f => new IndicatorFinding(f.Indicator!, f.Finding!.Trim(), f.TargetMet!.Value))],
            [.. PrincipleFindings!.Select(f => new PrincipleFinding(f.Principle!, f.Finding!.Trim()))],
            [.. Lessons!.Select(l => l.Trim())]));
    }
}

/// <summary>Outcome: roll the measure out further ("scaled") or make it permanent ("permanent").</summary>
public sealed record ScaleMeasure(
    [property: Required, Codes(typeof(ScaleMeasure), nameof(ScaleMeasure.Modes))] string? Mode,
    [property: MaxLength(FieldErrors.MaxItems), Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Administrations))] IReadOnlyList<string>? RolloutTo,
    [property: Required, MaxLength(FieldErrors.MaxText)] string? Plan) : IMeasureCommand
{
    public static string Name => "scale";

    public static readonly IReadOnlyList<string> Modes = ["scaled", "permanent"];

    public void Validate(FieldErrors errors)
    {
        errors.Code(Mode, "mode", m => m is not null && Modes.Contains(m), "outcome mode ('scaled' or 'permanent')");
        errors.Codes(RolloutTo, "rolloutTo", CatalogLists.Administrations, "administration");
        errors.Required(Plan, "plan", FieldErrors.MaxText);
    }

    public Decision Decide(MeasureState state)
    {
        if (Mode == "scaled" && (RolloutTo is null || RolloutTo.Count == 0))
        {
            return Decision.Violation("rolloutTo", "Scaling names where the measure rolls out.");
        }
        return Decision.Accept(new MeasureScaled(Mode!, RolloutTo ?? [], Plan!.Trim()));
    }
}

/// <summary>Outcome: a new pilot cycle, with what changes.</summary>
public sealed record IterateMeasure([property: Required, MaxLength(FieldErrors.MaxText)] string? Changes) : IMeasureCommand
{
    public static string Name => "iterate";

    public void Validate(FieldErrors errors) => errors.Required(Changes, "changes", FieldErrors.MaxText);

    public Decision Decide(MeasureState state) => Decision.Accept(new MeasureIterated(state.PilotCycle + 1, Changes!.Trim()));
}

/// <summary>Outcome: stopped, with reason and lessons. A stopped measure stays on record.</summary>
public sealed record StopMeasure([property: Required, MaxLength(FieldErrors.MaxText)] string? Reason, [property: Required, MinLength(1), MaxLength(FieldErrors.MaxItems), ItemMaxLength(FieldErrors.MaxText)] IReadOnlyList<string>? Lessons) : IMeasureCommand
{
    public static string Name => "stop";

    public void Validate(FieldErrors errors)
    {
        errors.Required(Reason, "reason", FieldErrors.MaxText);
        errors.Each(Lessons, "lessons", (l, path) => errors.Required(l, path, FieldErrors.MaxText), min: 1);
    }

    public Decision Decide(MeasureState state) => Decision.Accept(new MeasureStopped(Reason!.Trim(), [.. Lessons!.Select(l => l.Trim())]));
}

public sealed record ArchiveMeasure([property: MaxLength(FieldErrors.MaxText)] string? Note) : IMeasureCommand
{
    public static string Name => "archive";

    public void Validate(FieldErrors errors) => errors.Optional(Note, "note", FieldErrors.MaxText);

    public Decision Decide(MeasureState state) => Decision.Accept(new MeasureArchived(Note?.Trim()));
}

/// <summary>Amend title, problem statement or description; fields left out stay as they are.</summary>
public sealed record AmendDetails(
    [property: MaxLength(FieldErrors.MaxTitle)] string? Title,
    [property: MaxLength(FieldErrors.MaxText)] string? ProblemStatement,
    [property: MaxLength(FieldErrors.MaxText)] string? Description) : IMeasureCommand
{
    public static string Name => "amend-details";

    public void Validate(FieldErrors errors)
    {
        if (Title is null && ProblemStatement is null && Description is null)
        {
            errors.Add("title", "Give at least one of 'title', 'problemStatement', 'description'.");
        }
        if (Title is not null)
        {
            errors.Required(Title, "title", FieldErrors.MaxTitle);
        }
        if (ProblemStatement is not null)
        {
            errors.Required(ProblemStatement, "problemStatement", FieldErrors.MaxText);
        }
        errors.Optional(Description, "description", FieldErrors.MaxText);
    }

    public Decision Decide(MeasureState state)
    {
        var title = Title?.Trim();
        var problem = ProblemStatement?.Trim();
        var description = Description?.Trim();
        if ((title is null || title == state.Title) && (problem is null || problem == state.ProblemStatement)
            && (description is null || description == state.Description))
        {
            return Decision.Violation("title", "Nothing would change: the details are already as given.");
        }
        return Decision.Accept(new DetailsAmended(
            title == state.Title ? null : title,
            problem == state.ProblemStatement ? null : problem,
            description == state.Description ? null : description));
    }
}

/// <summary>Change the project team (participating administrations and their responsibilities).</summary>
public sealed record ChangeTeam(
    [property: Required, MaxLength(FieldErrors.MaxItems), Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Administrations))] IReadOnlyList<string>? Participating,
    [property: MaxLength(FieldErrors.MaxItems)] IReadOnlyList<ResponsibilityInput>? Responsibilities) : IMeasureCommand
{
    public static string Name => "change-team";

    public void Validate(FieldErrors errors)
    {
        errors.Codes(Participating, "participating", CatalogLists.Administrations, "administration", min: 0);
        if (Participating is null)
        {
            errors.Add("participating", "'participating' is required (an empty list removes every participant).");
        }
        errors.Each(Responsibilities, "responsibilities", (r, path) =>
        {
            errors.Code(r.Administration, $"{path}.administration", CatalogLists.Administrations, "administration");
            errors.Required(r.Description, $"{path}.description", FieldErrors.MaxShortText);
        });
    }

    public Decision Decide(MeasureState state)
    {
        if (Participating!.Contains(state.Lead))
        {
            return Decision.Violation("participating", "The lead administration is not also a participating one.");
        }
        var team = Participating!.Prepend(state.Lead).ToHashSet();
        var responsibilities = Responsibilities?.Select(r => new Responsibility(r.Administration!, r.Description!.Trim())).ToList()
            ?? [.. state.Responsibilities.Where(r => team.Contains(r.Administration))];
        var outsider = responsibilities.FindIndex(r => !team.Contains(r.Administration));
        if (outsider >= 0)
        {
            return Decision.Violation($"responsibilities[{outsider}].administration", "Responsibilities go to the lead or a participating administration.");
        }
        // Mandate and commitment: once mandated, the lead's responsibility cannot be dropped again.
        if (state.StageHistory.Any(h => h.Stage == MeasureStage.Mandated) && responsibilities.All(r => r.Administration != state.Lead))
        {
            return Decision.Violation("responsibilities", "After the mandate, the lead administration's responsibility must stay stated.");
        }
        if (Participating!.SequenceEqual(state.Participating) && responsibilities.SequenceEqual(state.Responsibilities))
        {
            return Decision.Violation("participating", "Nothing would change: the team is already as given.");
        }
        return Decision.Accept(new TeamChanged(Participating!, responsibilities));
    }
}

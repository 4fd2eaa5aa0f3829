using System.ComponentModel.DataAnnotations;
using GemeinsamDigital.Domain.Catalog;

namespace GemeinsamDigital.Domain.Measures;

public sealed record MilestoneInput(
    [property: Required, MaxLength(FieldErrors.MaxCode)] string? Id,
    [property: Required, MaxLength(FieldErrors.MaxTitle)] string? Title,
    [property: Required] DateOnly? Due);

/// <summary>Start a pilot (the first, or the next cycle after an iteration) with plan and milestones.</summary>
public sealed record StartPilot(
    [property: Required, MaxLength(FieldErrors.MaxText)] string? Plan,
    [property: Required] DateOnly? Start,
    [property: Required] DateOnly? End,
    [property: Required, MinLength(1), MaxLength(FieldErrors.MaxItems)] IReadOnlyList<MilestoneInput>? Milestones) : IMeasureCommand
{
    public static string Name => "start-pilot";

    public void Validate(FieldErrors errors)
    {
        errors.Required(Plan, "plan", FieldErrors.MaxText);
        if (Start is null)
        {
            errors.Add("start", "'start' is required.");
        }
        if (End is null)
        {
            errors.Add("end", "'end' is required.");
        }
        errors.Each(Milestones, "milestones", (m, path) =>
        {
            errors.Required(m.Id, $"{path}.id", FieldErrors.MaxCode);
            errors.Required(m.Title, $"{path}.title", FieldErrors.MaxTitle);
            if (m.Due is null)
            {
                errors.Add($"{path}.due", $"'{path}.due' is required.");
            }
        }, min: 1);
    }

    public Decision Decide(MeasureState state)
    {
        if (End <= Start)
        {
            return Decision.Violation("end", "A pilot ends after it starts.");
        }
        if (Milestones!.GroupBy(m => m.Id).FirstOrDefault(g => g.Count() > 1) is { } dup)
        {
            return Decision.Violation("milestones", $"Milestone id '{dup.Key}' is used more than once.");
        }
        var outside = Milestones!.ToList().FindIndex(m => m.Due < Start || m.Due > End);
        if (outside >= 0)
        {
            return Decision.Violation($"milestones[{outside}].due", "A milestone is due within the pilot's period.");
        }
        var cycle = state.PilotCycle + 1;
        return Decision.Accept(new PilotStarted(cycle, Plan!.Trim(), Start!.Value, End!.Value,
            [.. Milestones!.Select(m => new PlannedMilestone(m.Id!.Trim(), m.Title!.Trim(), m.Due!.Value))]));
    }
}

internal static class PilotRules
{
    /// <summary>
    /// What the project team records during a pilot (participation, measurements) belongs to the
    /// current pilot cycle: from its start, through its end and the evaluation phase that follows,
    /// up to today (the lifecycle closes recording with the evaluation's completion, the clock
    /// rule refuses the future). Before the cycle's start it belongs to no cycle of this measure's
    /// monitoring, so it is refused.
    /// </summary>
    public static Decision? BeforeCurrentCycle(MeasureState state, DateOnly date, string field, string message) =>
        state.Pilot is { } pilot && date < pilot.Start ? Decision.Violation(field, message) : null;

    public static MilestoneState? OpenMilestone(MeasureState state, string id) =>
        state.Milestones.FirstOrDefault(m => m.Id == id && m.Cycle == state.PilotCycle);

    public static Decision? UnknownMilestone(MeasureState state, string? id, out MilestoneState milestone)
    {
        milestone = OpenMilestone(state, id!)!;
        if (milestone is null)
        {
            return Decision.Violation("milestoneId", $"The current pilot has no milestone '{id}'.");
        }
        return milestone.Status == MilestoneStatus.Reached
            ? Decision.Violation("milestoneId", $"Milestone '{id}' is already reached.")
            : null;
    }
}

public sealed record ReachMilestone([property: Required, MaxLength(FieldErrors.MaxCode)] string? MilestoneId, [property: Required] DateOnly? On) : IMeasureCommand, IRecordsWhatHappened
{
    public static string Name => "reach-milestone";

    (string Field, DateOnly? Date) IRecordsWhatHappened.HappenedOn => ("on", On);

    public void Validate(FieldErrors errors)
    {
        errors.Required(MilestoneId, "milestoneId", FieldErrors.MaxCode);
        if (On is null)
        {
            errors.Add("on", "'on' is required.");
        }
    }

    public Decision Decide(MeasureState state)
    {
        if (PilotRules.UnknownMilestone(state, MilestoneId, out _) is { } refused)
        {
            return refused;
        }
        return On < state.Pilot!.Start
            ? Decision.Violation("on", "A milestone cannot be reached before the pilot starts.")
            : Decision.Accept(new MilestoneReached(MilestoneId!, On!.Value));
    }
}

public sealed record MissMilestone([property: Required, MaxLength(FieldErrors.MaxCode)] string? MilestoneId, [property: Required, MaxLength(FieldErrors.MaxText)] string? Explanation) : IMeasureCommand
{
    public static string Name => "miss-milestone";

    public void Validate(FieldErrors errors)
    {
        errors.Required(MilestoneId, "milestoneId", FieldErrors.MaxCode);
        errors.Required(Explanation, "explanation", FieldErrors.MaxText);
    }

    public Decision Decide(MeasureState state)
    {
        if (PilotRules.UnknownMilestone(state, MilestoneId, out var milestone) is { } refused)
        {
            return refused;
        }
        return milestone.Status == MilestoneStatus.Missed
            ? Decision.Violation("milestoneId", $"Milestone '{MilestoneId}' is already recorded as missed; reschedule it first.")
            : Decision.Accept(new MilestoneMissed(MilestoneId!, Explanation!.Trim()));
    }
}

public sealed record RescheduleMilestone([property: Required, MaxLength(FieldErrors.MaxCode)] string? MilestoneId, [property: Required] DateOnly? NewDue) : IMeasureCommand
{
    public static string Name => "reschedule-milestone";

    public void Validate(FieldErrors errors)
    {
        errors.Required(MilestoneId, "milestoneId", FieldErrors.MaxCode);
        if (NewDue is null)
        {
            errors.Add("newDue", "'newDue' is required.");
        }
    }

    public Decision Decide(MeasureState state)
    {
        if (PilotRules.UnknownMilestone(state, MilestoneId, out var milestone) is { } refused)
        {
            return refused;
        }
        if (NewDue == milestone.Due)
        {
            return Decision.Violation("newDue", "The new due date equals the current one.");
        }
        return NewDue < state.Pilot!.Start
            ? Decision.Violation("newDue", "A milestone cannot be due before the pilot starts.")
            : Decision.Accept(new MilestoneRescheduled(MilestoneId!, milestone.Due, NewDue!.Value));
    }
}

/// <summary>A participation format held during the pilot, with the Fünffach-Helix groups it reached.</summary>
public sealed record RecordParticipation(
    [property: Required, Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.ParticipationFormats))] string? Format,
    [property: Required] DateOnly? On,
    [property: Required, MinLength(1), MaxLength(FieldErrors.MaxItems), Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.StakeholderGroups))] IReadOnlyList<string>? StakeholderGroups,
    [property: MaxLength(FieldErrors.MaxItems), Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.UnderHeardGroups))] IReadOnlyList<string>? UnderHeardGroups,
    [property: Required, Range(0, RecordParticipation.MaxParticipants)] int? Participants,
    [property: MaxLength(FieldErrors.MaxText)] string? Summary) : IMeasureCommand, IRecordsWhatHappened
{
    public static string Name => "record-participation";

    public const int MaxParticipants = 10_000_000;

    (string Field, DateOnly? Date) IRecordsWhatHappened.HappenedOn => ("on", On);

    public void Validate(FieldErrors errors)
    {
        errors.Code(Format, "format", CatalogLists.ParticipationFormats, "participation format");
        if (On is null)
        {
            errors.Add("on", "'on' is required.");
        }
        errors.Codes(StakeholderGroups, "stakeholderGroups", CatalogLists.StakeholderGroups, "stakeholder group", min: 1);
        errors.Codes(UnderHeardGroups, "underHeardGroups", CatalogLists.UnderHeardGroups, "Stille Gruppen");
        if (Participants is null)
        {
            errors.Add("participants", "'participants' is required.");
        }
        else if (Participants is < 0 or > MaxParticipants)
        {
            errors.Add("participants", $"'participants' must be between 0 and {MaxParticipants.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}.");
        }
        errors.Optional(Summary, "summary", FieldErrors.MaxText);
    }

    public Decision Decide(MeasureState state)
    {
        var underHeard = UnderHeardGroups ?? [];
        if (underHeard.Count > 0 && !StakeholderGroups!.Contains("stille-gruppen"))
        {
            return Decision.Violation("underHeardGroups", "Reaching Stille Gruppen means stakeholder group 'stille-gruppen' was reached.");
        }
        return PilotRules.BeforeCurrentCycle(state, On!.Value, "on", "Participation during the pilot happens on or after its start.")
            ?? Decision.Accept(new ParticipationHeld(Format!, On!.Value, StakeholderGroups!, underHeard, Participants!.Value, Summary?.Trim()));
    }
}

public sealed record RecordMeasurement(
    [property: Required, MaxLength(FieldErrors.MaxCode)] string? Indicator,
    [property: Required] decimal? Value,
    [property: Required] DateOnly? On,
    [property: Required, MaxLength(FieldErrors.MaxShortText)] string? Source) : IMeasureCommand, IRecordsWhatHappened
{
    public static string Name => "record-measurement";

    (string Field, DateOnly? Date) IRecordsWhatHappened.HappenedOn => ("on", On);

    public void Validate(FieldErrors errors)
    {
        errors.Required(Indicator, "indicator", FieldErrors.MaxCode);
        if (Value is null)
        {
            errors.Add("value", "'value' is required.");
        }
        if (On is null)
        {
            errors.Add("on", "'on' is required.");
        }
        errors.Required(Source, "source", FieldErrors.MaxShortText);
    }

    public Decision Decide(MeasureState state)
    {
        if (state.Indicators.All(i => i.Code != Indicator))
        {
            return Decision.Violation("indicator", $"The measure defines no indicator '{Indicator}'.");
        }
        return PilotRules.BeforeCurrentCycle(state, On!.Value, "on", "A measurement belongs to the current pilot cycle: it is taken on or after the pilot's start.")
            ?? Decision.Accept(new IndicatorMeasured(Indicator!, Value!.Value, On!.Value, Source!.Trim()));
    }
}

public sealed record RecordRisk(
    [property: Required, MaxLength(FieldErrors.MaxCode)] string? RiskId,
    [property: Required, Codes(typeof(RecordRisk), nameof(RecordRisk.Kinds))] string? Kind,
    [property: Required, MaxLength(FieldErrors.MaxText)] string? Description) : IMeasureCommand
{
    public static string Name => "record-risk";

    public static readonly IReadOnlyList<string> Kinds = ["risk", "conflict"];

    public void Validate(FieldErrors errors)
    {
        errors.Required(RiskId, "riskId", FieldErrors.MaxCode);
        errors.Code(Kind, "kind", k => k is not null && Kinds.Contains(k), "risk kind ('risk' or 'conflict')");
        errors.Required(Description, "description", FieldErrors.MaxText);
    }

    public Decision Decide(MeasureState state) =>
        state.Risks.Any(r => r.Id == RiskId)
            ? Decision.Violation("riskId", $"Risk '{RiskId}' is already recorded.")
            : Decision.Accept(new RiskRecorded(RiskId!.Trim(), Kind!, Description!.Trim()));
}

public sealed record ResolveRisk([property: Required, MaxLength(FieldErrors.MaxCode)] string? RiskId, [property: Required, MaxLength(FieldErrors.MaxText)] string? Resolution) : IMeasureCommand
{
    public static string Name => "resolve-risk";

    public void Validate(FieldErrors errors)
    {
        errors.Required(RiskId, "riskId", FieldErrors.MaxCode);
        errors.Required(Resolution, "resolution", FieldErrors.MaxText);
    }

    public Decision Decide(MeasureState state) => state.Risks.FirstOrDefault(r => r.Id == RiskId) switch
    {
        null => Decision.Violation("riskId", $"The measure has no risk or conflict '{RiskId}'."),
        { Resolved: true } => Decision.Violation("riskId", $"Risk '{RiskId}' is already resolved."),
        _ => Decision.Accept(new RiskResolved(RiskId!, Resolution!.Trim())),
    };
}

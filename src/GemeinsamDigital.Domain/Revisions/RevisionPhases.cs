using System.ComponentModel.DataAnnotations;
using GemeinsamDigital.Domain.Catalog;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Revisions;

/// <summary>The result of a revision phase decision: events to append to the phase's stream, or a rejection.</summary>
public sealed record RevisionDecision : IDecision<IRevisionEvent>
{
    private RevisionDecision(IReadOnlyList<IRevisionEvent> events, Rejection? rejection)
    {
        Events = events;
        Rejection = rejection;
    }

    public IReadOnlyList<IRevisionEvent> Events { get; }
    public Rejection? Rejection { get; }

    public static RevisionDecision Accept(params IRevisionEvent[] events) => new(events, null);
    public static RevisionDecision Reject(Rejection rejection) => new([], rejection);

    public static RevisionDecision Violation(string field, string message) =>
        Reject(new RuleViolated(new Dictionary<string, string[]> { [field] = [message] }));

    public static RevisionDecision? Invalid(FieldErrors errors) => errors.Any ? Reject(new InvalidCommand(errors.ToDictionary())) : null;
}

/// <summary>Another revision phase is open; only one may be open at a time (409).</summary>
public sealed record AnotherRevisionPhaseOpen(Guid OpenPhaseId, string OpenPhaseName)
    : Rejection("Another revision phase is open.", $"Revision phase '{OpenPhaseName}' ({OpenPhaseId}) is open; close it before opening another.");

/// <summary>The phase is closed: it and its snapshot never change again (409).</summary>
public sealed record RevisionPhaseClosedAlready(Guid PhaseId, string Name, string Command)
    : Rejection("The revision phase is closed.", $"Revision phase '{Name}' is closed; '{Command}' is not possible any more. A closed phase and its snapshot never change.");

public sealed record RevisionScopeInput(
    [property: Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.MeasureTypes))] string? Type,
    [property: Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Administrations))] string? Lead,
    [property: Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.Districts))] string? District,
    [property: Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.FuturePerspectives))] string? Perspective);

/// <summary>Open a revision phase: its name, its period (both days inclusive) and which measures it looks at.</summary>
public sealed record OpenRevisionPhase(
    [property: Required, MaxLength(FieldErrors.MaxTitle)] string? Name,
    [property: Required] DateOnly? From,
    [property: Required] DateOnly? To,
    RevisionScopeInput? Scope)
{
    public const string CommandName = "open";

    public void Validate(FieldErrors errors)
    {
        errors.Required(Name, "name", FieldErrors.MaxTitle);
        if (From is null)
        {
            errors.Add("from", "'from' is required.");
        }
        if (To is null)
        {
            errors.Add("to", "'to' is required.");
        }
        if (Scope is not null)
        {
            errors.OptionalCode(Scope.Type, "scope.type", StrategyCatalog.IsMeasureType, "measure type");
            errors.OptionalCode(Scope.Lead, "scope.lead", StrategyCatalog.IsAdministration, "administration");
            errors.OptionalCode(Scope.District, "scope.district", StrategyCatalog.IsDistrict, "district (Bezirksamt)");
            errors.OptionalCode(Scope.Perspective, "scope.perspective", StrategyCatalog.IsFuturePerspective, "Zukunftsperspektive");
        }
    }
}

/// <summary>A lesson entered by the strategy office.</summary>
public sealed record RecordRevisionLesson(
    [property: Required, MaxLength(FieldErrors.MaxText)] string? Text,
    Guid? MeasureId,
    [property: MaxLength(FieldErrors.MaxItems), Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.GuidingPrinciples))] IReadOnlyList<string>? Principles,
    [property: MaxLength(FieldErrors.MaxItems), Codes(typeof(StrategyCatalog), nameof(StrategyCatalog.FuturePerspectives))] IReadOnlyList<string>? Perspectives)
{
    public const string CommandName = "lessons";

    public void Validate(FieldErrors errors)
    {
        errors.Required(Text, "text", FieldErrors.MaxText);
        errors.Codes(Principles, "principles", StrategyCatalog.IsGuidingPrinciple, "Leitgedanke");
        errors.Codes(Perspectives, "perspectives", StrategyCatalog.IsFuturePerspective, "Zukunftsperspektive");
    }
}

/// <summary>
/// decide(state, command) → events for revision phases. Validation (400), state (409: another phase
/// open, phase closed), rules (422). Pure: what the decision needs from elsewhere is passed in.
/// </summary>
public static class RevisionPhases
{
    public const string CloseCommandName = "close";

    /// <param name="openPhase">The phase open right now, if any.</param>
    /// <param name="previous">The phase closed last, if any.</param>
    public static RevisionDecision Open(Guid phaseId, OpenRevisionPhase command, RevisionPhaseState? openPhase, RevisionPhaseState? previous)
    {
        var errors = new FieldErrors();
        command.Validate(errors);
        if (RevisionDecision.Invalid(errors) is { } invalid)
        {
            return invalid;
        }
        if (openPhase is not null)
        {
            return RevisionDecision.Reject(new AnotherRevisionPhaseOpen(openPhase.Id, openPhase.Name));
        }
        if (command.To < command.From)
        {
            return RevisionDecision.Violation("to", "A revision phase ends on or after the day it starts.");
        }
        if (previous is not null && command.From <= previous.To)
        {
            return RevisionDecision.Violation("from",
                $"Revision phases follow each other: this one starts after the previous phase '{previous.Name}' ended ({previous.To:yyyy-MM-dd}).");
        }
        var scope = command.Scope is { } s ? new RevisionScope(s.Type, s.Lead, s.District, s.Perspective) : RevisionScope.Everything;
        return RevisionDecision.Accept(new RevisionPhaseOpened(
            phaseId, command.Name!.Trim(), command.From!.Value, command.To!.Value, scope, previous?.Id, previous?.AsOfSequence ?? 0));
    }

    /// <summary>The refusal of every command on a closed phase; null while it is open.</summary>
    public static Rejection? Unchangeable(RevisionPhaseState state, string command) =>
        state.Status == RevisionPhaseStatus.Closed ? new RevisionPhaseClosedAlready(state.Id, state.Name, command) : null;

    /// <param name="measure">The measure the lesson names, as it is now; null when it names none or an unknown one.</param>
    public static RevisionDecision RecordLesson(RevisionPhaseState state, RecordRevisionLesson command, MeasureState? measure)
    {
        var errors = new FieldErrors();
        command.Validate(errors);
        if (RevisionDecision.Invalid(errors) is { } invalid)
        {
            return invalid;
        }
        if (Unchangeable(state, RecordRevisionLesson.CommandName) is { } closed)
        {
            return RevisionDecision.Reject(closed);
        }
        if (command.MeasureId is { } id && measure?.Id != id)
        {
            return RevisionDecision.Violation("measureId", $"There is no measure with id '{id}'.");
        }
        return RevisionDecision.Accept(new RevisionLessonRecorded(
            state.OfficeLessons().Count() + 1, command.Text!.Trim(), command.MeasureId, command.Principles ?? [], command.Perspectives ?? []));
    }

    /// <summary>
    /// Close the phase with its snapshot (built by <see cref="RevisionSnapshots.Build"/> as of the
    /// store's highest sequence): links the measures' lessons the snapshot found, then closes.
    /// </summary>
    public static RevisionDecision Close(RevisionPhaseState state, RevisionSnapshot snapshot)
    {
        if (Unchangeable(state, CloseCommandName) is { } refused)
        {
            return RevisionDecision.Reject(refused);
        }
        if (snapshot.PhaseId != state.Id)
        {
            throw new InvalidOperationException($"The snapshot is of phase {snapshot.PhaseId}, not {state.Id}.");
        }
        var linked = snapshot.Lessons.Where(l => l.Source != LessonSource.Office).ToList();
        var closed = new RevisionPhaseClosed(snapshot.AsOfSequence, SnapshotHash.Compute(snapshot), snapshot);
        return linked.Count > 0
            ? RevisionDecision.Accept(new MeasureLessonsLinked(linked), closed)
            : RevisionDecision.Accept(closed);
    }
}

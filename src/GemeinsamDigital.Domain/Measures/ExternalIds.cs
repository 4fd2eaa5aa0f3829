using System.ComponentModel.DataAnnotations;

namespace GemeinsamDigital.Domain.Measures;

/// <summary>
/// An administration's own key for a measure (e.g. "BA-Mitte-2024-017"): how its systems find the
/// measure again, so a sync updates instead of proposing twice. Unique per lead administration.
/// </summary>
public static class ExternalIds
{
    public const int MaxLength = FieldErrors.MaxCode;

    /// <summary>Keys are compared as given, without the blanks around them.</summary>
    public static string? Normalize(string? externalId) => string.IsNullOrWhiteSpace(externalId) ? null : externalId.Trim();

    public static void Validate(string? externalId, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(externalId))
        {
            errors.Add(field, $"'{field}' must not be blank (leave it out for none).");
        }
        else if (externalId.Trim().Length > MaxLength)
        {
            errors.Add(field, $"'{field}' must be at most {MaxLength} characters long.");
        }
        else if (externalId.Any(c => char.IsControl(c)) || FieldErrors.ForbiddenCharacter(externalId) is not null)
        {
            // A key is one line: no tabs or line breaks either.
            errors.Add(field, $"'{field}' must be one line of printable characters.");
        }
    }
}

/// <summary>Another measure of the same lead administration already carries the external id (409).</summary>
public sealed record ExternalIdTaken(string ExternalId, string Lead, Guid MeasureId)
    : Rejection("The external id is taken.",
        $"Measure '{MeasureId}' of administration '{Lead}' already carries external id '{ExternalId}'; update that measure instead.");

/// <summary>Set, replace or (with null) remove the lead administration's own key for the measure.</summary>
public sealed record AssignExternalId([property: MaxLength(ExternalIds.MaxLength)] string? ExternalId) : IMeasureCommand
{
    public static string Name => "assign-external-id";

    public void Validate(FieldErrors errors)
    {
        if (ExternalId is not null)
        {
            ExternalIds.Validate(ExternalId, "externalId", errors);
        }
    }

    public Decision Decide(MeasureState state)
    {
        var id = ExternalIds.Normalize(ExternalId);
        return id == state.ExternalId
            ? Decision.Violation("externalId", id is null ? "The measure carries no external id." : $"The measure already carries external id '{id}'.")
            : Decision.Accept(new ExternalIdAssigned(id, state.ExternalId));
    }
}

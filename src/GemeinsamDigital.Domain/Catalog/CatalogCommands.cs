using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Domain.Catalog;

/// <summary>The result of a catalogue command: one event (one new version), or a rejection.</summary>
public sealed record CatalogDecision(IReadOnlyList<ICatalogEvent> Events, Rejection? Rejection) : IDecision<ICatalogEvent>
{
    public static CatalogDecision Accept(ICatalogEvent e) => new([e], null);

    public static CatalogDecision Violation(string field, string message) =>
        new([], new RuleViolated(new Dictionary<string, string[]> { [field] = [message] }));

    public static CatalogDecision? Invalid(FieldErrors errors) => errors.Any ? new([], new InvalidCommand(errors.ToDictionary())) : null;
}

/// <summary>Shape checks the catalogue commands share (400 when they fail).</summary>
public static partial class CatalogRules
{
    public const int MaxLabel = FieldErrors.MaxTitle;

    /// <summary>Codes are lower-case kebab-case, at most <see cref="FieldErrors.MaxCode"/> characters: they are a public contract.</summary>
    public const string CodePattern = "^[a-z0-9]+(-[a-z0-9]+)*$";

    [GeneratedRegex(CodePattern)]
    private static partial Regex CodeRegex();

    public static void List(FieldErrors errors, string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            errors.Add("list", "'list' is required.");
        }
        else if (!CatalogLists.IsList(list))
        {
            errors.Add("list", $"'list' must be one of {string.Join(", ", CatalogLists.Names)}.");
        }
    }

    public static void Code(FieldErrors errors, string? code, string field = "code")
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            errors.Add(field, $"'{field}' is required.");
        }
        else if (code.Length > FieldErrors.MaxCode || !CodeRegex().IsMatch(code))
        {
            errors.Add(field, $"'{field}' must be lower-case letters, digits and single hyphens (e.g. zp8, ba-mitte), at most {FieldErrors.MaxCode} characters.");
        }
    }

    /// <summary>The entry a change names: a 422 when the list has no such code.</summary>
    public static CatalogDecision? Unknown(CatalogState catalog, string list, string code, string field, out CatalogStateEntry entry)
    {
        entry = catalog.Find(list, code)!;
        return entry is null ? CatalogDecision.Violation(field, $"The list '{list}' has no code '{code}'.") : null;
    }
}

/// <summary>The strategy office adds an entry to a list of the catalogue.</summary>
public sealed record AddCatalogEntry(
    [property: Required, Codes(typeof(CatalogLists), nameof(CatalogLists.Names))] string? List,
    [property: Required, MaxLength(FieldErrors.MaxCode), RegularExpression(CatalogRules.CodePattern)] string? Code,
    [property: Required, MaxLength(CatalogRules.MaxLabel)] string? Label,
    [property: MaxLength(CatalogRules.MaxLabel)] string? EnglishLabel,
    [property: MaxLength(CatalogRules.MaxLabel)] string? EasyLabel,
    [property: MaxLength(FieldErrors.MaxCode)] string? Group)
{
    public const string CommandName = "add-catalog-entry";

    /// <summary>Shape checks that need no state (400 when they fail).</summary>
    public void Validate(FieldErrors errors)
    {
        CatalogRules.List(errors, List);
        CatalogRules.Code(errors, Code);
        errors.Required(Label, "label", CatalogRules.MaxLabel);
        errors.Optional(EnglishLabel, "englishLabel", CatalogRules.MaxLabel);
        errors.Optional(EasyLabel, "easyLabel", CatalogRules.MaxLabel);
        errors.Optional(Group, "group", FieldErrors.MaxCode);
    }

    public CatalogDecision Decide(CatalogState catalog)
    {
        var errors = new FieldErrors();
        Validate(errors);
        if (CatalogDecision.Invalid(errors) is { } invalid)
        {
            return invalid;
        }
        if (catalog.Find(List!, Code) is { } existing)
        {
            return CatalogDecision.Violation("code", existing.IsActive
                ? $"The list '{List}' has the code '{Code}' already."
                : $"The list '{List}' had the code '{Code}' (retired): a code is never reused for something else.");
        }
        return CatalogDecision.Accept(new CatalogEntryAdded(new CatalogItem(List!, Code!, Label!.Trim(), Group, EnglishLabel?.Trim(), EasyLabel?.Trim())));
    }
}

/// <summary>The strategy office changes an entry's labels: the ones sent, the others stay. Retired entries may be relabelled too.</summary>
public sealed record RelabelCatalogEntry(
    [property: Required, Codes(typeof(CatalogLists), nameof(CatalogLists.Names))] string? List,
    [property: Required, MaxLength(FieldErrors.MaxCode)] string? Code,
    [property: MaxLength(CatalogRules.MaxLabel)] string? Label,
    [property: MaxLength(CatalogRules.MaxLabel)] string? EnglishLabel,
    [property: MaxLength(CatalogRules.MaxLabel)] string? EasyLabel)
{
    public const string CommandName = "relabel-catalog-entry";

    /// <summary>Shape checks that need no state (400 when they fail).</summary>
    public void Validate(FieldErrors errors)
    {
        CatalogRules.List(errors, List);
        CatalogRules.Code(errors, Code);
        if (Label is not null)
        {
            errors.Required(Label, "label", CatalogRules.MaxLabel);
        }
        errors.Optional(EnglishLabel, "englishLabel", CatalogRules.MaxLabel);
        errors.Optional(EasyLabel, "easyLabel", CatalogRules.MaxLabel);
        if (Label is null && EnglishLabel is null && EasyLabel is null)
        {
            errors.Add("label", "Send at least one of 'label', 'englishLabel', 'easyLabel'.");
        }
    }

    public CatalogDecision Decide(CatalogState catalog)
    {
        var errors = new FieldErrors();
        Validate(errors);
        if (CatalogDecision.Invalid(errors) is { } invalid)
        {
            return invalid;
        }
        if (CatalogRules.Unknown(catalog, List!, Code!, "code", out var entry) is { } unknown)
        {
            return unknown;
        }
        var relabelled = new CatalogEntryRelabelled(List!, Code!, Label?.Trim() ?? entry.Label, EnglishLabel?.Trim() ?? entry.EnglishLabel, EasyLabel?.Trim() ?? entry.EasyLabel);
        if (relabelled.Label == entry.Label && relabelled.EnglishLabel == entry.EnglishLabel && relabelled.EasyLabel == entry.EasyLabel)
        {
            return CatalogDecision.Violation("label", "The entry has these labels already; nothing would change.");
        }
        return CatalogDecision.Accept(relabelled);
    }
}

/// <summary>The strategy office retires an entry: new uses are refused, measures that use it keep it.</summary>
public sealed record RetireCatalogEntry(
    [property: Required, Codes(typeof(CatalogLists), nameof(CatalogLists.Names))] string? List,
    [property: Required, MaxLength(FieldErrors.MaxCode)] string? Code)
{
    public const string CommandName = "retire-catalog-entry";

    /// <summary>Shape checks that need no state (400 when they fail).</summary>
    public void Validate(FieldErrors errors)
    {
        CatalogRules.List(errors, List);
        CatalogRules.Code(errors, Code);
    }

    public CatalogDecision Decide(CatalogState catalog)
    {
        var errors = new FieldErrors();
        Validate(errors);
        if (CatalogDecision.Invalid(errors) is { } invalid)
        {
            return invalid;
        }
        if (CatalogRules.Unknown(catalog, List!, Code!, "code", out var entry) is { } unknown)
        {
            return unknown;
        }
        return entry.IsActive
            ? CatalogDecision.Accept(new CatalogEntryRetired(List!, Code!))
            : CatalogDecision.Violation("code", $"'{Code}' is retired already.");
    }
}

/// <summary>The strategy office replaces an entry by another active one of the same list: the entry is retired and points to its successor.</summary>
public sealed record ReplaceCatalogEntry(
    [property: Required, Codes(typeof(CatalogLists), nameof(CatalogLists.Names))] string? List,
    [property: Required, MaxLength(FieldErrors.MaxCode)] string? Code,
    [property: Required, MaxLength(FieldErrors.MaxCode)] string? ReplacedBy)
{
    public const string CommandName = "replace-catalog-entry";

    /// <summary>Shape checks that need no state (400 when they fail).</summary>
    public void Validate(FieldErrors errors)
    {
        CatalogRules.List(errors, List);
        CatalogRules.Code(errors, Code);
        CatalogRules.Code(errors, ReplacedBy, "replacedBy");
    }

    public CatalogDecision Decide(CatalogState catalog)
    {
        var errors = new FieldErrors();
        Validate(errors);
        if (CatalogDecision.Invalid(errors) is { } invalid)
        {
            return invalid;
        }
        if (CatalogRules.Unknown(catalog, List!, Code!, "code", out var entry) is { } unknown)
        {
            return unknown;
        }
        if (CatalogRules.Unknown(catalog, List!, ReplacedBy!, "replacedBy", out var successor) is { } unknownSuccessor)
        {
            return unknownSuccessor;
        }
        if (Code == ReplacedBy)
        {
            return CatalogDecision.Violation("replacedBy", "An entry cannot replace itself.");
        }
        if (!entry.IsActive)
        {
            return CatalogDecision.Violation("code", $"'{Code}' is retired already.");
        }
        return successor.IsActive
            ? CatalogDecision.Accept(new CatalogEntryReplaced(List!, Code!, ReplacedBy!))
            : CatalogDecision.Violation("replacedBy", $"'{ReplacedBy}' is retired: an entry can only be replaced by an active one.");
    }
}

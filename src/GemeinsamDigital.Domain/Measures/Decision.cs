namespace GemeinsamDigital.Domain.Measures;

/// <summary>Why a command was refused. The API maps each kind to one HTTP status.</summary>
public abstract record Rejection(string Title, string Detail);

/// <summary>The command is malformed: missing or too long fields, unknown catalogue codes (400).</summary>
public sealed record InvalidCommand(IReadOnlyDictionary<string, string[]> Errors)
    : Rejection("The command is invalid.", "One or more fields are missing or invalid.");

/// <summary>
/// The command is well-formed but names catalogue codes the strategy office has retired (422):
/// measures that use them keep them, new uses may not (field → messages, with the successor if any).
/// </summary>
public sealed record CatalogCodeRetired(IReadOnlyDictionary<string, string[]> Errors)
    : Rejection("The command names a retired catalogue code.", string.Join(" ", Errors.SelectMany(e => e.Value)));

/// <summary>The command is well-formed but not allowed from the measure's current stage (409).</summary>
public sealed record TransitionNotAllowed(MeasureStage CurrentStage, string Command, IReadOnlyList<string> AllowedCommands)
    : Rejection("The command is not allowed in the measure's current stage.",
        $"'{Command}' is not allowed while the measure is in stage '{CurrentStage}'.");

/// <summary>The command is well-formed and allowed now, but breaks a rule of the domain (422).</summary>
public sealed record RuleViolated(IReadOnlyDictionary<string, string[]> Errors)
    : Rejection("The command breaks a rule of the measure's lifecycle.", string.Join(" ", Errors.SelectMany(e => e.Value)));

/// <summary>What every decision of every kind of stream gives: events to append, or a rejection.</summary>
public interface IDecision<out TEvent>
{
    IReadOnlyList<TEvent> Events { get; }
    Rejection? Rejection { get; }
}

/// <summary>The state of any event stream that takes commands: its id and the version it reflects.</summary>
public interface IStreamState
{
    Guid Id { get; }
    long Version { get; }
}

/// <summary>The result of decide(state, command): either events to append, or a rejection.</summary>
public sealed record Decision : IDecision<IMeasureEvent>
{
    private Decision(IReadOnlyList<IMeasureEvent> events, Rejection? rejection)
    {
        Events = events;
        Rejection = rejection;
    }

    public IReadOnlyList<IMeasureEvent> Events { get; }
    public Rejection? Rejection { get; }
    public bool IsAccepted => Rejection is null;

    public static Decision Accept(params IMeasureEvent[] events) => new(events, null);
    public static Decision Reject(Rejection rejection) => new([], rejection);

    public static Decision Violation(string field, string message) =>
        Reject(new RuleViolated(new Dictionary<string, string[]> { [field] = [message] }));
}

/// <summary>Collects field errors in the shape of RFC 9457 validation problems (field → messages).</summary>
public sealed class FieldErrors
{
    public const int MaxTitle = 200;
    public const int MaxText = 4000;
    public const int MaxShortText = 500;
    public const int MaxCode = 64;
    public const int MaxItems = 50;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _retired = new(StringComparer.Ordinal);

    /// <summary>Codes are checked against <paramref name="catalog"/> (the current catalogue); without one, against the shipped catalogue.</summary>
    public FieldErrors(Catalog.CatalogState? catalog = null) => Catalog = catalog ?? Domain.Catalog.CatalogState.Shipped;

    /// <summary>The catalogue codes are checked against.</summary>
    public Catalog.CatalogState Catalog { get; }

    /// <summary>Missing or invalid fields (400). Retired codes are apart (<see cref="AnyRetired"/>, 422).</summary>
    public bool Any => _errors.Count > 0;

    /// <summary>Fields that name a retired catalogue code.</summary>
    public bool AnyRetired => _retired.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    public void Required(string? value, string field, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"'{field}' is required.");
        }
        else
        {
            Text(value, field, max);
        }
    }

    public void Optional(string? value, string field, int max)
    {
        if (value is not null)
        {
            Text(value, field, max);
        }
    }

    /// <summary>Length within the maximum, and only characters text may hold.</summary>
    private void Text(string value, string field, int max)
    {
        if (value.Length > max)
        {
            Add(field, $"'{field}' must be at most {max} characters long.");
        }
        else if (ForbiddenCharacter(value) is { } problem)
        {
            Add(field, $"'{field}' {problem}");
        }
    }

    /// <summary>
    /// The one rule for text a person typed (every free-text field and text header): no C0 control
    /// characters but tab and line breaks, no DEL or C1 controls, no lone surrogates, no
    /// non-characters. They cannot be shown, break CSV and spreadsheets, and PostgreSQL's jsonb
    /// refuses NUL outright. Returns what is wrong (to follow the field's name), or null.
    /// </summary>
    public static string? ForbiddenCharacter(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                var scalar = char.ConvertToUtf32(c, value[++i]);
                if ((scalar & 0xFFFE) == 0xFFFE)
                {
                    return Refused(scalar, i - 1, "a non-character");
                }
                continue;
            }
            if (char.IsSurrogate(c))
            {
                return Refused(c, i, "a lone surrogate");
            }
            if ((c < ' ' && c is not ('\t' or '\n' or '\r')) || c is >= '\u007F' and <= '\u009F')
            {
                return Refused(c, i, "a control character (only tab and line breaks are allowed)");
            }
            if (c is >= '\uFDD0' and <= '\uFDEF' || (c & 0xFFFE) == 0xFFFE)
            {
                return Refused(c, i, "a non-character");
            }
        }
        return null;
    }

    private static string Refused(int scalar, int index, string what) =>
        $"contains {what}: U+{scalar:X4} at position {index + 1}.";

    /// <summary>A required catalogue code: present and known.</summary>
    public void Code(string? value, string field, Func<string?, bool> known, string catalogue)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"'{field}' is required.");
        }
        else if (!known(value))
        {
            Add(field, UnknownCode(value, catalogue));
        }
    }

    /// <summary>
    /// A required code of one of the catalogue's lists (<see cref="Domain.Catalog.CatalogLists"/>) for a new use: unknown is a
    /// field error (400), retired is refused apart (422, <see cref="CatalogCodeRetired"/>).
    /// </summary>
    public void Code(string? value, string field, string list, string catalogue)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"'{field}' is required.");
            return;
        }
        switch (Catalog.Find(list, value))
        {
            case null:
                Add(field, UnknownCode(value, catalogue));
                break;
            case { IsActive: false } retired:
                if (!_retired.TryGetValue(field, out var messages))
                {
                    _retired[field] = messages = [];
                }
                messages.Add($"'{value}' is a retired {catalogue} code: measures that use it keep it, new uses may not"
                    + (retired.ReplacedBy is { } successor ? $"; it was replaced by '{successor}'." : "."));
                break;
        }
    }

    public void OptionalCode(string? value, string field, string list, string catalogue)
    {
        if (value is not null)
        {
            Code(value, field, list, catalogue);
        }
    }

    public void Codes(IReadOnlyList<string>? codes, string field, string list, string catalogue, int min = 0)
    {
        if (!List(codes, field, min))
        {
            return;
        }
        for (var i = 0; i < codes!.Count; i++)
        {
            Code(codes[i], $"{field}[{i}]", list, catalogue);
        }
        if (codes.Distinct(StringComparer.Ordinal).Count() != codes.Count)
        {
            Add(field, $"'{field}' lists a code more than once.");
        }
    }

    public void OptionalCode(string? value, string field, Func<string?, bool> known, string catalogue)
    {
        if (value is not null)
        {
            Code(value, field, known, catalogue);
        }
    }

    /// <summary>A catalogue code a query filters by: empty means no filter; the code, or null with an error when unknown.</summary>
    public string? FilterCode(string? value, string field, Func<string?, bool> known, string catalogue)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (known(value))
        {
            return value;
        }
        Add(field, UnknownCode(value, catalogue));
        return null;
    }

    public bool List<T>(IReadOnlyList<T>? items, string field, int min = 0, int max = MaxItems)
    {
        if (items is null)
        {
            if (min > 0)
            {
                Add(field, $"'{field}' is required.");
            }
            return false;
        }
        if (items.Count < min)
        {
            Add(field, $"'{field}' needs at least {min} item(s).");
        }
        if (items.Count > max)
        {
            Add(field, $"'{field}' may hold at most {max} items.");
            return false;
        }
        return true;
    }

    public void Codes(IReadOnlyList<string>? codes, string field, Func<string?, bool> known, string catalogue, int min = 0)
    {
        if (!List(codes, field, min))
        {
            return;
        }
        for (var i = 0; i < codes!.Count; i++)
        {
            Code(codes[i], $"{field}[{i}]", known, catalogue);
        }
        if (codes.Distinct(StringComparer.Ordinal).Count() != codes.Count)
        {
            Add(field, $"'{field}' lists a code more than once.");
        }
    }

    public void Each<T>(IReadOnlyList<T>? items, string field, Action<T, string> validate, int min = 0)
    {
        if (!List(items, field, min))
        {
            return;
        }
        for (var i = 0; i < items!.Count; i++)
        {
            var path = $"{field}[{i}]";
            if (items[i] is null)
            {
                Add(path, $"'{path}' must not be null.");
                continue;
            }
            validate(items[i], path);
        }
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public Decision? ToRejection() => Rejection() is { } rejection ? Decision.Reject(rejection) : null;

    /// <summary>Invalid fields (400) first; else retired codes (422); else null.</summary>
    public Rejection? Rejection() =>
        Any ? new InvalidCommand(ToDictionary())
        : AnyRetired ? new CatalogCodeRetired(_retired.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal))
        : null;

    /// <summary>The one message for a code that is not in the catalogue (commands and query filters alike).</summary>
    public static string UnknownCode(string value, string catalogue) =>
        $"'{(value.Length <= 40 ? value : value[..40] + "…")}' is not a known {catalogue} code (see GET /api/catalog).";
}

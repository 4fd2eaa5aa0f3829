using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GemeinsamDigital.Audit;

/// <summary>
/// Canonical JSON "gd-cjson-1": one exact text for every JSON value, so a hash does not depend on
/// key order, whitespace or number spelling (PostgreSQL's jsonb changes all three). Modelled on
/// RFC 8785 (JCS) with one deliberate difference: numbers are exact decimals, not IEEE doubles,
/// because amounts are decimals and must not be rounded.
/// <list type="bullet">
/// <item>No whitespace anywhere outside strings.</item>
/// <item>Object members sorted by name, ordinal over UTF-16 code units (as JCS); duplicate names are an error.</item>
/// <item>Arrays keep their order.</item>
/// <item>Strings: <c>"</c> and <c>\</c> escaped as <c>\"</c> <c>\\</c>; U+0008, U+0009, U+000A, U+000C, U+000D as
/// <c>\b \t \n \f \r</c>; other code points below U+0020 as <c>\u00xx</c> (lowercase hex); everything else
/// literally, encoded as UTF-8 (no escaping of '/', non-ASCII or U+2028).</item>
/// <item>Numbers: plain decimal notation of the exact value, no exponent, no '+', no leading zeros,
/// no trailing fractional zeros, no trailing '.', and "0" for every zero (1.50 → 1.5, 1e3 → 1000,
/// -0.0 → 0, 2.5E-3 → 0.0025).</item>
/// <item><c>true</c>, <c>false</c>, <c>null</c> as themselves.</item>
/// </list>
/// This is the one canonical writer: event hashes use it on the stored data as is; revision
/// snapshot hashes use it with <see cref="CanonicalJsonOptions.OmitNullMembers"/> on the serialised snapshot.
/// </summary>
public static class CanonicalJson
{
    public const string Name = "gd-cjson-1";

    // Exponents beyond this would produce absurdly long plain numbers; no event carries them.
    private const int MaxExponent = 400;

    private static readonly JsonDocumentOptions _parseOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    /// <summary>The canonical text of a JSON document. Throws <see cref="FormatException"/> for invalid or non-canonicalisable JSON.</summary>
    public static string Canonicalize(string json) => Canonicalize(json, CanonicalJsonOptions.Default);

    /// <inheritdoc cref="Canonicalize(string)"/>
    public static string Canonicalize(string json, CanonicalJsonOptions options)
    {
        try
        {
            using var document = JsonDocument.Parse(json, _parseOptions);
            return Canonicalize(document.RootElement, options);
        }
        catch (JsonException e)
        {
            throw new FormatException("Not valid JSON: " + e.Message, e);
        }
    }

    public static string Canonicalize(JsonElement element) => Canonicalize(element, CanonicalJsonOptions.Default);

    /// <summary>The canonical text of a parsed JSON value. Throws <see cref="FormatException"/> for non-canonicalisable JSON.</summary>
    public static string Canonicalize(JsonElement element, CanonicalJsonOptions options)
    {
        var builder = new StringBuilder();
        Write(builder, element, options);
        return builder.ToString();
    }

    /// <summary>A string as canonical JSON text, quotes included.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        WriteString(builder, value);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, JsonElement element, CanonicalJsonOptions options)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = element.EnumerateObject()
                    .Where(p => !options.OmitNullMembers || p.Value.ValueKind != JsonValueKind.Null)
                    .Select(p => (Name: p.Name, p.Value)).ToList();
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                builder.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        if (members[i].Name == members[i - 1].Name)
                        {
                            throw new FormatException($"Duplicate member name '{members[i].Name}'.");
                        }
                        builder.Append(',');
                    }
                    WriteString(builder, members[i].Name);
                    builder.Append(':');
                    Write(builder, members[i].Value, options);
                }
                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }
                    first = false;
                    Write(builder, item, options);
                }
                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(builder, ReadString(element));
                break;
            case JsonValueKind.Number:
                builder.Append(Number(element.GetRawText()));
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Null:
                builder.Append("null");
                break;
            default:
                throw new FormatException($"Unexpected JSON token {element.ValueKind}.");
        }
    }

    private static string ReadString(JsonElement element)
    {
        try
        {
            var value = element.GetString()!;
            // Lone surrogates cannot be encoded as UTF-8: refuse rather than silently replace.
            for (var i = 0; i < value.Length; i++)
            {
                if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(value[i]))
                {
                    throw new FormatException("A string contains an unpaired UTF-16 surrogate.");
                }
            }
            return value;
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException("A string is not valid UTF-16.", e);
        }
    }

    private static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\t': builder.Append("\\t"); break;
                case '\n': builder.Append("\\n"); break;
                case '\f': builder.Append("\\f"); break;
                case '\r': builder.Append("\\r"); break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        builder.Append('"');
    }

    /// <summary>Normalises a JSON number lexeme exactly (string arithmetic, no floating point).</summary>
    public static string Number(string lexeme)
    {
        var span = lexeme.AsSpan();
        var negative = span.Length > 0 && span[0] == '-';
        if (negative)
        {
            span = span[1..];
        }
        var exponentAt = span.IndexOfAny('e', 'E');
        long exponent = 0;
        if (exponentAt >= 0)
        {
            var exponentText = span[(exponentAt + 1)..];
            if (!long.TryParse(exponentText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)
                || Math.Abs(exponent) > MaxExponent)
            {
                throw new FormatException($"Number '{lexeme}' has an exponent outside ±{MaxExponent}.");
            }
            span = span[..exponentAt];
        }
        var pointAt = span.IndexOf('.');
        var integerPart = pointAt >= 0 ? span[..pointAt] : span;
        var fractionPart = pointAt >= 0 ? span[(pointAt + 1)..] : [];
        if (integerPart.Length == 0 || (pointAt >= 0 && fractionPart.Length == 0)
            || !IsDigits(integerPart) || !IsDigits(fractionPart))
        {
            throw new FormatException($"'{lexeme}' is not a JSON number.");
        }

        // value = digits × 10^scale
        var digits = string.Concat(integerPart, fractionPart).TrimStart('0');
        long scale = exponent - fractionPart.Length;
        if (digits.Length == 0)
        {
            return "0";
        }
        var significant = digits.TrimEnd('0');
        scale += digits.Length - significant.Length;
        if (significant.Length + Math.Abs(scale) > 2 * MaxExponent)
        {
            throw new FormatException($"Number '{lexeme}' is too long to write in plain notation.");
        }

        var sign = negative ? "-" : "";
        if (scale >= 0)
        {
            return sign + significant + new string('0', (int)scale);
        }
        var pointPosition = significant.Length + (int)scale;
        return pointPosition > 0
            ? sign + significant[..pointPosition] + "." + significant[pointPosition..]
            : sign + "0." + new string('0', -pointPosition) + significant;
    }

    private static bool IsDigits(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }
}

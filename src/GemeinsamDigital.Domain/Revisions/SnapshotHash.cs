using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GemeinsamDigital.Domain.Revisions;

/// <summary>
/// The content hash of a revision snapshot: lower-case hex SHA-256 of the UTF-8 bytes of its
/// canonical JSON. Canonical JSON (documented in README, "Revision phases"):
/// members named in camelCase, enums by name, members whose value is null left out;
/// object members sorted by name (ordinal, UTF-16 code units); no whitespace; strings escaped
/// only where JSON requires it (quotation mark, reverse solidus, control characters: \b \f \n \r \t,
/// others as \u00xx in lower-case hex), every other character as itself; numbers in plain decimal
/// notation without exponent, without trailing fractional zeros and without "-0" (9.50 → 9.5, 3.0 → 3).
/// </summary>
public static class SnapshotHash
{
    private static readonly JsonSerializerOptions _options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Compute(RevisionSnapshot snapshot) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson(snapshot))));

    public static string CanonicalJson(RevisionSnapshot snapshot)
    {
        using var document = JsonSerializer.SerializeToDocument(snapshot, _options);
        var text = new StringBuilder();
        Write(document.RootElement, text);
        return text.ToString();
    }

    /// <summary>Top-level members (canonical names) whose canonical JSON differs: where two snapshots part.</summary>
    public static IReadOnlyList<string> DifferingMembers(RevisionSnapshot a, RevisionSnapshot b)
    {
        var x = Members(a);
        var y = Members(b);
        return [.. x.Keys.Union(y.Keys).Order(StringComparer.Ordinal).Where(k => x.GetValueOrDefault(k) != y.GetValueOrDefault(k))];
    }

    private static Dictionary<string, string> Members(RevisionSnapshot snapshot)
    {
        using var document = JsonSerializer.SerializeToDocument(snapshot, _options);
        return document.RootElement.EnumerateObject().Where(m => m.Value.ValueKind != JsonValueKind.Null).ToDictionary(m => m.Name, m =>
        {
            var text = new StringBuilder();
            Write(m.Value, text);
            return text.ToString();
        });
    }

    private static void Write(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                foreach (var member in element.EnumerateObject()
                    .Where(m => m.Value.ValueKind != JsonValueKind.Null)
                    .OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        text.Append(',');
                    }
                    first = false;
                    Quote(member.Name, text);
                    text.Append(':');
                    Write(member.Value, text);
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (i++ > 0)
                    {
                        text.Append(',');
                    }
                    Write(item, text);
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                Quote(element.GetString()!, text);
                break;
            case JsonValueKind.Number:
                text.Append(Number(element.GetRawText()));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    /// <summary>A number in its shortest plain decimal form.</summary>
    public static string Number(string raw)
    {
        var value = decimal.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (value == 0)
        {
            return "0";
        }
        // Dividing by 1.000… drops trailing zeros of the scale (9.50 → 9.5).
        return (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
    }

    private static void Quote(string value, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case < ' ':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }
}

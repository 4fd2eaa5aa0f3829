using System.Collections;
using System.Reflection;

namespace GemeinsamDigital.Domain.Measures;

/// <summary>
/// The codes a string member of a request may hold (each item, for a list of strings): a list of
/// the strategy catalogue or a fixed list of a command, named by its holder and member, so the
/// OpenAPI document shows the very list the validation checks against.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class CodesAttribute(Type holder, string member) : Attribute
{
    public IReadOnlyList<string> Codes
    {
        get
        {
            const BindingFlags Static = BindingFlags.Public | BindingFlags.Static;
            var value = holder.GetField(member, Static)?.GetValue(null) ?? holder.GetProperty(member, Static)?.GetValue(null)
                ?? throw new InvalidOperationException($"{holder.Name}.{member} is no public static list of codes.");
            return [.. ((IEnumerable)value).Cast<object>().Select(e => e is Catalog.CatalogEntry entry ? entry.Code : (string)e)];
        }
    }
}

/// <summary>The longest text each item of a list of strings may hold.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ItemMaxLengthAttribute(int length) : Attribute
{
    public int Length { get; } = length;
}

namespace GemeinsamDigital.Audit;

/// <summary>
/// What may vary between uses of <see cref="CanonicalJson"/>; every other rule is fixed, so two
/// texts written with the same options are equal exactly when the values are.
/// </summary>
public sealed record CanonicalJsonOptions
{
    /// <summary>gd-cjson-1 as event hashes use it: every member kept, a <c>null</c> one included.</summary>
    public static readonly CanonicalJsonOptions Default = new();

    /// <summary>
    /// Leave out object members whose value is <c>null</c> (array items stay). Snapshot hashes use
    /// it so that an optional member added to a later format leaves earlier hashes as they are.
    /// </summary>
    public bool OmitNullMembers { get; init; }
}

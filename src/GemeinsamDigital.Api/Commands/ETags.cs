using Microsoft.Net.Http.Headers;

namespace GemeinsamDigital.Api.Commands;

/// <summary>ETags carry a stream's version: "3" is version 3.</summary>
public static class ETags
{
    public static string For(long version) => $"\"{version}\"";

    /// <summary>What If-Match accepts (see <see cref="ParseIfMatch"/>): "*" or one strong tag of a positive version.</summary>
    public const string IfMatchPattern = "^(\\*|\"[1-9][0-9]{0,18}\")$";

    /// <summary>The longest tag: a quoted 19-digit version.</summary>
    public const int MaxLength = 21;

    public static void Set(HttpResponse response, long version) => response.Headers.ETag = For(version);

    /// <summary>The version an ETag of ours carries; null for none.</summary>
    public static long? Parse(string? etag) =>
        etag is { Length: > 2 } && etag[0] == '"' && etag[^1] == '"' && long.TryParse(etag.AsSpan(1, etag.Length - 2), out var v) ? v : null;

    /// <summary>Reads If-Match. Null when absent; an error message when it is not one strong version tag.</summary>
    public static (long? Version, string? Error) ParseIfMatch(HttpRequest request)
    {
        var raw = request.Headers.IfMatch.ToString();
        // "*" (any current version) pins nothing: the command is decided against the latest state.
        if (string.IsNullOrWhiteSpace(raw) || raw.Trim() == "*")
        {
            return (null, null);
        }
        if (EntityTagHeaderValue.TryParse(raw.Trim(), out var tag) && !tag.IsWeak && tag.Tag.Length > 2
            && long.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), out var version) && version > 0)
        {
            return (version, null);
        }
        return (null, "If-Match must be one strong ETag as returned by this API, e.g. \"3\".");
    }

    public static bool NoneMatch(HttpRequest request, long version) =>
        request.Headers.IfNoneMatch.ToString().Split(',').Select(t => t.Trim()).Contains(For(version));
}

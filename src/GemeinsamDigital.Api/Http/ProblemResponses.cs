using System.Globalization;
using Microsoft.OpenApi;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// Declares that an operation can answer a problem with this status, unless it declares that status
/// itself. Only the description: <see cref="ContractResponses"/> gives every problem answer its typed schema.
/// </summary>
public static class ProblemResponses
{
    public static void Add(OpenApiOperation operation, int status, string description)
    {
        var responses = operation.Responses ??= [];
        responses.TryAdd(status.ToString(CultureInfo.InvariantCulture), new OpenApiResponse { Description = description });
    }
}

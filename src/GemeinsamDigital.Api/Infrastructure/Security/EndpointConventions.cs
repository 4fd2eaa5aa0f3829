using GemeinsamDigital.Api.Infrastructure.Idempotency;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Infrastructure.Security;

/// <summary>
/// Conventions for Wolverine endpoints, so a new command endpoint is protected without remembering to:
/// every POST under /api/measures is a command on measures: it needs <see cref="Policies.WriteMeasures"/>
/// and honours Idempotency-Key. Which measure the caller may change is checked in the command path.
/// </summary>
public static class EndpointConventions
{
    public const string MeasureCommands = "/api/measures";

    public static bool IsMeasureCommand(HttpChain chain) =>
        chain.HttpMethods.Contains(HttpMethods.Post)
        && chain.RoutePattern?.RawText is { } route
        && (route == MeasureCommands || route.StartsWith(MeasureCommands + "/", StringComparison.Ordinal));

    public static void Apply(HttpChain chain)
    {
        if (IsMeasureCommand(chain))
        {
            chain.RequireAuthorization(Policies.WriteMeasures);
            chain.WithMetadata(new IdempotentCommandAttribute());
        }
    }
}

using System.Collections.Concurrent;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// A route segment that must be a UUID but is not addresses nothing: 404 for every caller, before
/// anyone's role is looked at (like a path no endpoint matches), instead of a 401/403 first and the
/// framework's bare 404 after.
/// </summary>
public static class RouteIds
{
    // Per endpoint, the names of its route parameters its handler binds as a UUID.
    private static readonly ConcurrentDictionary<RouteEndpoint, string[]> _uuidParameters = new();

    public static WebApplication UseRouteIdCheck(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint() is RouteEndpoint endpoint)
            {
                foreach (var name in _uuidParameters.GetOrAdd(endpoint, UuidParameters))
                {
                    if (http.Request.RouteValues.TryGetValue(name, out var value) && !Guid.TryParse(value?.ToString(), out _))
                    {
                        await Problems.NotAUuid(name).ExecuteAsync(http);
                        return;
                    }
                }
            }
            await next(http);
        });
        return app;
    }

    private static string[] UuidParameters(RouteEndpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<HttpChain>()?.Method.Method is not { } method)
        {
            return [];
        }
        var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. method.GetParameters()
            .Where(p => p.Name is not null && routeNames.Contains(p.Name)
                && (p.ParameterType == typeof(Guid) || p.ParameterType == typeof(Guid?)))
            .Select(p => p.Name!)];
    }
}

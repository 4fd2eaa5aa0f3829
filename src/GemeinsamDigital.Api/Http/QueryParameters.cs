using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// Unknown query parameters are refused (400, 'errors' keyed by each unknown name), on every
/// endpoint alike: a filter the endpoint does not know must not be silently ignored (a client
/// asking for ?district=ba-mitte would otherwise take every measure for the district's). What an
/// endpoint knows is read from its declared parameters (the endpoint method's, those of an
/// [AsParameters] type and of its middleware), the same ones the OpenAPI document lists, so a
/// parameter added later is known without a list to keep.
/// </summary>
public static class QueryParameters
{
    private static readonly ConcurrentDictionary<HttpChain, IReadOnlySet<string>> _known = new();

    public static WebApplication UseStrictQueryParameters(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.Request.Query.Count > 0 && http.GetEndpoint()?.Metadata.GetMetadata<HttpChain>() is { } chain)
            {
                var known = _known.GetOrAdd(chain, KnownTo);
                var unknown = http.Request.Query.Keys.Where(k => k.Length > 0 && !known.Contains(k)).ToList();
                if (unknown.Count > 0)
                {
                    var takes = known.Count == 0 ? "it takes none" : "it takes " + string.Join(", ", known.Order(StringComparer.Ordinal));
                    await Results.Problem(Problems.ValidationDetails(unknown.ToDictionary(
                        name => name,
                        name => new[] { $"'{Echo(name)}' is not a query parameter of this endpoint; {takes} (see the OpenAPI document)." },
                        StringComparer.Ordinal))).ExecuteAsync(http);
                    return;
                }
            }
            await next(http);
        });
        return app;
    }

    /// <summary>The query parameter names the chain binds (compared as ASP.NET Core binds them: ignoring case).</summary>
    public static IReadOnlySet<string> KnownTo(HttpChain chain)
    {
        var route = chain.RoutePattern?.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        var methods = chain.Middleware.OfType<JasperFx.CodeGeneration.Frames.MethodCall>().Select(m => m.Method).Prepend(chain.Method.Method);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in methods.SelectMany(m => m.GetParameters()))
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var property in parameter.ParameterType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                {
                    Add(names, route, property.Name, property.PropertyType, property.GetCustomAttributes());
                }
                continue;
            }
            Add(names, route, parameter.Name, parameter.ParameterType, parameter.GetCustomAttributes());
        }
        return names;
    }

    private static void Add(HashSet<string> names, HashSet<string> route, string? name, Type type, IEnumerable<Attribute> attributes)
    {
        var given = attributes.ToList();
        if (given.OfType<FromQueryAttribute>().FirstOrDefault() is { } fromQuery)
        {
            names.Add(fromQuery.Name ?? name ?? "");
            return;
        }
        var boundElsewhere = given.Any(a => a is FromHeaderAttribute or FromRouteAttribute or FromBodyAttribute or FromServicesAttribute or FromFormAttribute);
        if (!boundElsewhere && name is not null && !route.Contains(name) && IsSimple(type))
        {
            names.Add(name);
        }
    }

    // What Wolverine binds from the query string when nothing says otherwise: strings, numbers, ids, dates, enums.
    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray)
        {
            type = type.GetElementType()!;
        }
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly);
    }

    private static string Echo(string name) => name.Length <= 40 ? name : name[..40] + "…";
}

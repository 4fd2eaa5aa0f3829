using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.OpenApi;
using Wolverine.Http;

namespace GemeinsamDigital.Api.Http;

/// <summary>What every endpoint shares: JSON, RFC 9457 problems, request limits, health checks and the OpenAPI document.</summary>
public static class HttpSetup
{
    public static IServiceCollection AddHttpContract(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureSystemTextJsonForWolverineOrMinimalApi(o => Json.Configure(o.SerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = FrameworkProblems.Apply);
        // Wolverine logs a body it cannot read at Error, with the stack trace, under the request type's
        // name: a client could flood the log with it. FrameworkProblems logs each problem in one line
        // instead; the domain's request types log nothing else, and CreateApiKey and CommandBatch are the API's own body types.
        services.AddLogging(logging => logging
            .AddFilter("GemeinsamDigital.Domain", LogLevel.None)
            .AddFilter(typeof(CreateApiKey).FullName, LogLevel.None)
            .AddFilter(typeof(CommandBatch).FullName, LogLevel.None));
        // Limits, and 503 while PostgreSQL is away.
        services.AddRequestLimits(configuration);
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);

        services.AddEndpointsApiExplorer();
        services.AddSingleton<ContractSchemas>();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "GemeinsamDigital API",
                Version = "v1",
                Description = "Every measure (Maßnahme) of the strategy \"Gemeinsam Digital: Berlin\" from idea to pilot to evaluation, "
                    + "as an event-sourced ledger. Errors are RFC 9457 problem details.",
            });
            var xml = Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml");
            if (File.Exists(xml))
            {
                o.IncludeXmlComments(xml);
            }
            o.SupportNonNullableReferenceTypes();
            o.OperationFilter<OpenApiExamples>();
            o.SchemaFilter<WireSchemas>();
            o.OperationFilter<ExactSuccessResponses>();
            o.OperationFilter<TableOpenApi>();
            o.OperationFilter<ImportOpenApi>();
            o.OperationFilter<ConditionalReadOpenApi>();
            GeoJsonOpenApi.AddGeoJsonDocs(o);
            o.DocumentFilter<ExactSuccessResponses>();
            SecurityOpenApi.AddSecurityDocs(o);
            // Last: sees every parameter and response the filters above added.
            o.SchemaFilter<ContractSchemas>();
            o.OperationFilter<ContractResponses>();
            o.DocumentFilter<ContractResponses>();
        });
        return services;
    }

    /// <summary>Errors as problems (empty ones too: 415, 405, 404 on unknown routes, …) and the OpenAPI document with its UI.</summary>
    public static WebApplication UseHttpContract(this WebApplication app)
    {
        var environment = app.Environment.EnvironmentName.ToLowerInvariant();
        // Answers are data: a browser must never sniff one (JSON with unescaped text, CSV) into HTML.
        app.Use((http, next) =>
        {
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return next(http);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // One server: the address the document was read from.
        app.UseSwagger(o => o.PreSerializeFilters.Add((document, request) =>
            document.Servers =
            [
                new OpenApiServer
                {
                    Url = $"{request.Scheme}://{request.Host}{request.PathBase}",
                    Description = $"This service ({environment} environment)",
                    Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(JsonValue.Create(false)) },
                },
            ]));
        app.UseSwaggerUI(o => o.DocumentTitle = "GemeinsamDigital API");
        return app;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthReportJson.WriteAsync })
            .AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthReportJson.WriteAsync })
            .AllowAnonymous().DisableRateLimiting();
        return app;
    }
}

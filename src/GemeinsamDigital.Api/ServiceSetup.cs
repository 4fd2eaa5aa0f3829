using System.Reflection;
using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.OpenApi;
using Wolverine;
using Wolverine.Http;

namespace GemeinsamDigital.Api;

public static class ServiceSetup
{
    public static WebApplicationBuilder AddGemeinsamDigital(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        builder.Host.UseWolverine(opts =>
        {
            // Runtime compilation of Wolverine's handler code (see README "Code generation").
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
            opts.UseRuntimeCompilation();
            opts.Discovery.IncludeAssembly(typeof(ServiceSetup).Assembly);
        });
        services.AddWolverineHttp();
        services.ConfigureSystemTextJsonForWolverineOrMinimalApi(o => Json.Configure(o.SerializerOptions));

        services.AddEventStore(configuration);
        services.AddMonitoring(configuration);
        services.AddSingleton<CommandPipeline>();
        services.AddAudit();
        services.AddRevisions();

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            ctx.ProblemDetails.Extensions["correlationId"] = CommandMetadata.ResolveCorrelationId(ctx.HttpContext);
        });
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);

        // Who may do what, nothing recorded twice, limits, and 503 while PostgreSQL is away.
        services.AddSecurity(configuration, builder.Environment);
        services.AddIdempotency(configuration);
        services.AddRequestLimits(configuration);
        services.AddExceptionHandler<DatabaseUnavailableHandler>();

        services.AddEndpointsApiExplorer();
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
            SecurityOpenApi.AddSecurityDocs(o);
        });

        services.AddDemoData(configuration);
        return builder;
    }

    public static WebApplication UseGemeinsamDigital(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Empty error responses (415, 405, 404 on unknown routes, …) become problem details too.
        app.UseStatusCodePages();

        app.UseSwagger();
        app.UseSwaggerUI(o => o.DocumentTitle = "GemeinsamDigital API");

        // Order matters: size before anything reads the body; identity before the per-client rate
        // limit and the policies; idempotency after authorization, so keys are per authorized caller.
        app.UseBodySizeLimit();
        app.UseSecurity();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous().DisableRateLimiting();

        app.MapWolverineEndpoints(o =>
        {
            o.RejectUnparseableQueryValues = true;
            o.ConfigureEndpoints(CommandConventions.Apply);
        });
        return app;
    }
}

using Wolverine;
using Wolverine.Http;

namespace GemeinsamDigital.Api;

/// <summary>The service's table of contents: one registration per feature, then the request pipeline.</summary>
public static class ServiceSetup
{
    public static WebApplicationBuilder AddGemeinsamDigital(this WebApplicationBuilder builder)
    {
        builder.Host.UseWolverine(opts =>
        {
            // Generated code: compiled at start, or generated at build time into a static build (Operations/Deployment).
            opts.CodeGeneration.TypeLoadMode = Deployment.TypeLoadMode(builder.Configuration);
#if !STATIC_CODE
            opts.UseRuntimeCompilation();
#endif
            opts.AutoBuildMessageStorageOnStartup = Deployment.AutoCreate(builder.Configuration, builder.Environment);
            opts.Discovery.IncludeAssembly(typeof(ServiceSetup).Assembly);
            opts.AddImports();
        });
        builder.Services.AddWolverineHttp();
        builder.AddTelemetry();

        var (services, configuration) = (builder.Services, builder.Configuration);
        services.AddHttpContract(configuration);
        services.AddEventStore(configuration, builder.Environment);
        services.AddCommands(configuration);
        // Projections are registered in this order (the rebuild reports them in it): measures and
        // revision phases inline, then the monitoring read side.
        services.AddMeasures();
        services.AddRevisions();
        services.AddControlling();
        services.AddCatalog();
        services.AddMonitoring(configuration);
        services.AddImports(configuration);
        services.AddChanges();
        services.AddWebhooks(configuration);
        services.AddAudit(configuration);
        services.AddSecurity(configuration, builder.Environment);
        services.AddSubjects(configuration, builder.Environment);
        services.AddDemoData(configuration);
        return builder;
    }

    public static WebApplication UseGemeinsamDigital(this WebApplication app)
    {
        app.UseHttpContract();
        // The public monitoring page (static files at /monitoring/), before the API's own checks.
        app.UseMonitoringPage();
        // Order matters: URI and body size before anything reads them; the answer format (406) before
        // identity; identity before the per-client rate limit and the policies; unknown query parameters
        // refused once the caller may call the endpoint; idempotency after authorization, so keys are
        // per authorized caller; conditional reads after authorization too, so a refused caller gets its
        // refusal whatever it sends in If-None-Match.
        app.UseRequestTargetLimit();
        app.UseBodySizeLimit();
        app.UseAnswerFormats();
        app.UseSecurity();
        app.UseRateLimiter();
        app.UseRateLimitHeaders();
        // An id that is no UUID addresses nothing: 404 for everyone, like an unknown path.
        app.UseRouteIdCheck();
        app.UseAuthorization();
        app.UseStrictQueryParameters();
        app.UseConditionalReads();
        // The caller's pseudonym, before idempotency keys are scoped by it and commands record it.
        app.UseSubjects();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapHealth();
        app.MapMetrics();
        app.MapWolverineEndpoints(o =>
        {
            o.RejectUnparseableQueryValues = true;
            o.ConfigureEndpoints(CommandConventions.Apply);
        });
        return app;
    }
}

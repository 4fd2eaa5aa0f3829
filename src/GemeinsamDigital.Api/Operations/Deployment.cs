using JasperFx;
using JasperFx.CodeGeneration;

namespace GemeinsamDigital.Api.Operations;

/// <summary>
/// How the service treats its generated code and its schema (docs/operations.md, "Upgrades").
/// A build with <c>-p:StaticCode=true</c> (the container image) compiles the pre-generated code in
/// <c>Internal/Generated</c> and carries no Roslyn: it loads those types (Static). Other builds
/// generate and compile the code at start (Dynamic). Production changes no schema at start:
/// <c>db-apply</c> applies the changes before the new version starts; elsewhere the schema is
/// created or updated at start.
/// </summary>
public static class Deployment
{
#if STATIC_CODE
    public const bool StaticCode = true;
#else
    public const bool StaticCode = false;
#endif

    /// <summary><c>CodeGeneration:TypeLoadMode</c>: Dynamic, Auto or Static; by default what the build carries.</summary>
    public static TypeLoadMode TypeLoadMode(IConfiguration configuration) =>
        configuration.GetValue("CodeGeneration:TypeLoadMode", StaticCode ? JasperFx.CodeGeneration.TypeLoadMode.Static : JasperFx.CodeGeneration.TypeLoadMode.Dynamic);

    /// <summary><c>Database:AutoCreate</c>: None, CreateOnly, CreateOrUpdate or All.</summary>
    public static AutoCreate AutoCreate(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue("Database:AutoCreate", environment.IsProduction() ? JasperFx.AutoCreate.None : JasperFx.AutoCreate.CreateOrUpdate);
}

using JasperFx;
using JasperFx.CodeGeneration;

namespace GemeinsamDigital.Api.Operations;

/// <summary>
/// How the service treats its generated code and its schema (docs/operations.md, "Upgrades"). In
/// Production: the code generated at build time (<c>codegen write</c> in the image build), no Roslyn
/// at start, and no schema change at start (<c>db-apply</c> before the new version starts). Elsewhere:
/// code generated at start and the schema created or updated at start.
/// </summary>
public static class Deployment
{
    /// <summary><c>CodeGeneration:TypeLoadMode</c>: Dynamic, Auto or Static.</summary>
    public static TypeLoadMode TypeLoadMode(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue("CodeGeneration:TypeLoadMode", environment.IsProduction() ? JasperFx.CodeGeneration.TypeLoadMode.Static : JasperFx.CodeGeneration.TypeLoadMode.Dynamic);

    /// <summary><c>Database:AutoCreate</c>: None, CreateOnly, CreateOrUpdate or All.</summary>
    public static AutoCreate AutoCreate(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue("Database:AutoCreate", environment.IsProduction() ? JasperFx.AutoCreate.None : JasperFx.AutoCreate.CreateOrUpdate);
}

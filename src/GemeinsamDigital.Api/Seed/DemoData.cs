namespace GemeinsamDigital.Api.Seed;

public static class DemoDataSetup
{
    public static IServiceCollection AddDemoData(this IServiceCollection services, IConfiguration configuration) => services;
}

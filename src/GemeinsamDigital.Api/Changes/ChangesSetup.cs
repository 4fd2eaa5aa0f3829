using Marten;

namespace GemeinsamDigital.Api.Changes;

public static class ChangesSetup
{
    /// <summary>The change feed, its notifications, and the subscription that hands committed changes on (to webhooks).</summary>
    public static IServiceCollection AddChanges(this IServiceCollection services)
    {
        services.AddSingleton<ChangeLog>();
        services.AddSingleton<ChangeSignal>();
        services.AddHostedService<ChangeListener>();
        services.AddSingleton<ChangeFanOut>();
        services.ConfigureMarten((provider, opts) =>
        {
            opts.Projections.Subscribe(provider.GetRequiredService<ChangeFanOut>());
            // The high water mark is what a waiting feed reader and the webhooks follow: look for new
            // commits four times a second when idle (a cheap query) rather than once.
            opts.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(250);
        });
        return services;
    }
}

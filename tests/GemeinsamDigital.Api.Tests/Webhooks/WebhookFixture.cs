using GemeinsamDigital.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace GemeinsamDigital.Api.Tests.Webhooks;

/// <summary>The service with webhooks to loopback receivers allowed and short retry pauses, so a dead letter takes seconds.</summary>
public sealed class WebhookFixture : PooledApiFixture
{
    public const int MaxAttempts = 4;

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Webhooks:AllowLoopback", "true");
        builder.UseSetting("Webhooks:MaxAttempts", MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Webhooks:FirstRetry", "00:00:00.200");
        builder.UseSetting("Webhooks:MaxRetry", "00:00:01");
        builder.UseSetting("Webhooks:Timeout", "00:00:05");
    }
}

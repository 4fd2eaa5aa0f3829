using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace GemeinsamDigital.Api.Web;

/// <summary>
/// The public monitoring page: static HTML, CSS and JavaScript modules (Web/site, copied to the
/// output folder) at /monitoring/, built only on the public read endpoints. The page carries a
/// Content Security Policy that allows nothing but this service (no inline script or style), sets no
/// cookie and keeps no personal data.
/// </summary>
public static class MonitoringPage
{
    public const string Path = "/monitoring";

    /// <summary>Scripts, styles, images and API calls from this service only; nothing inline, no frames, no plugins.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseMonitoringPage(this WebApplication app)
    {
        var root = System.IO.Path.Combine(AppContext.BaseDirectory, "Web", "site");
        if (!Directory.Exists(root))
        {
            return app;
        }
        var files = new PhysicalFileProvider(root);
        app.Use((http, next) =>
        {
            var path = http.Request.Path;
            if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            {
                // The service's root and the page without its slash lead to the page.
                if (path == "/" || path == Path)
                {
                    http.Response.Redirect(Path + "/");
                    return Task.CompletedTask;
                }
            }
            if (path.StartsWithSegments(Path))
            {
                http.Response.OnStarting(() =>
                {
                    var headers = http.Response.Headers;
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    headers["Referrer-Policy"] = "no-referrer";
                    headers["Cross-Origin-Opener-Policy"] = "same-origin";
                    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()";
                    return Task.CompletedTask;
                });
            }
            return next(http);
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Path });
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".js"] = "text/javascript; charset=utf-8";
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = Path,
            ContentTypeProvider = types,
            // Revalidated on every load (ETag, 304): a new version of the page is seen at once.
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}

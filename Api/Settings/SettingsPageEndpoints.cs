using MailSync.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace MailSync.Api.Settings;

/// <summary>
/// The Mail Sync settings page (<c>/settings/mail-sync</c>): static HTML, JavaScript and CSS from <c>wwwroot/mail-sync</c>,
/// calling the public v1 API with the user's JWT from the URL fragment. The page itself needs no token: it holds no data
/// until its script calls the API.
/// </summary>
public static class SettingsPageEndpoints
{
    public const string PagePath = "/settings/mail-sync";
    private const string PageFile = "mail-sync/index.html";

    /// <summary>The page's options, checked when the host starts (a bad origin stops it with a message naming the key).</summary>
    public static IServiceCollection AddMailSyncSettingsPage(this IServiceCollection services)
    {
        services.AddValidatedOptions<SettingsPageOptions>(SettingsPageOptions.Section);
        services.AddSingleton(provider => new SettingsPageHeaders(provider.GetRequiredService<IOptions<SettingsPageOptions>>().Value));
        return services;
    }

    public static WebApplication MapMailSyncSettingsPage(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = file => Headers(file.Context).Apply(file.Context.Response) });

        app.MapGet(PagePath, (HttpContext context, IWebHostEnvironment environment, SettingsPageHeaders headers) =>
        {
            var file = environment.WebRootFileProvider.GetFileInfo(PageFile);
            if (!file.Exists) return Results.NotFound();
            headers.Apply(context.Response);
            // Always revalidated, so a deployment's new script names reach every open CRM tab on its next load.
            context.Response.Headers.CacheControl = "no-cache";
            return Results.Stream(file.CreateReadStream(), "text/html; charset=utf-8", lastModified: file.LastModified);
        }).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/", () => Results.Redirect(PagePath)).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static SettingsPageHeaders Headers(HttpContext context) => context.RequestServices.GetRequiredService<SettingsPageHeaders>();
}

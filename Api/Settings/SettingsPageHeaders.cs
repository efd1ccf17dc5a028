namespace MailSync.Api.Settings;

/// <summary>
/// The headers every response of the settings page carries (its HTML, scripts and styles): a strict Content-Security-Policy
/// (only this origin's own files, no inline script or style, no plugins, no base or foreign form targets), no MIME
/// sniffing, and no Referer, so neither the page address nor its fragment ever leaves for another site.
/// </summary>
public sealed class SettingsPageHeaders(SettingsPageOptions options)
{
    public string ContentSecurityPolicy { get; } = string.Join("; ",
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors "
            + (options.FrameAncestors.Count == 0 ? "'none'" : string.Join(' ', options.FrameAncestors.Select(o => o.TrimEnd('/')))));

    public void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // Without a configured CRM origin, older browsers that ignore frame-ancestors are kept from framing it too.
        if (options.FrameAncestors.Count == 0) headers.XFrameOptions = "DENY";
    }
}

namespace MailSync.Grains.NeverLog;

/// <summary>
/// Domains of public mail services: a mailbox at one of them says nothing about which company its correspondents work
/// for, so its domain never counts as the company's own (two gmail.com users are not colleagues).
/// </summary>
public static class PublicMailDomains
{
    private static readonly HashSet<string> Domains = new(StringComparer.OrdinalIgnoreCase)
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "live.com", "msn.com",
        "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "rocketmail.com", "aol.com", "icloud.com", "me.com",
        "mac.com", "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com", "zoho.com",
        "yandex.com", "yandex.ru", "mail.ru", "fastmail.com", "hey.com", "qq.com", "163.com", "126.com", "t-online.de",
        "orange.fr", "free.fr", "laposte.net", "libero.it", "comcast.net", "att.net", "verizon.net", "tutanota.com",
    };

    public static bool Contains(string domain) => Domains.Contains(domain);
}

using System.Globalization;
using MailSync.Shared.Cluster;
using MailSync.Shared.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MailSync.Api.Auth;

/// <summary>
/// <c>dotnet run --project Api -- token --company C --user U --role R</c> (or <c>--operator</c>): prints a token
/// signed with the configured Auth:SigningKey, valid 12 hours (<c>--hours N</c>, at most 24). The development key of
/// <c>appsettings.Development.json</c> is refused where the hosts refuse it (<see cref="DeploymentGuard"/>). With
/// <c>--link</c> it prints the settings page's address with the token in the fragment instead
/// (<c>http://127.0.0.1:5080/settings/mail-sync#token=…</c>): fragments never reach a server or its logs.
/// </summary>
public static class DevelopmentTokens
{
    public static string Create(AuthOptions auth, string? company, string? user, string? role, bool isOperator, TimeSpan lifetime)
    {
        var claims = new Dictionary<string, object>();
        if (user is not null) claims["sub"] = user;
        if (company is not null) claims["company"] = company;
        if (role is not null) claims["role"] = role;
        if (isOperator)
        {
            claims["scope"] = MailSyncRoles.OperatorScope;
            claims.TryAdd("sub", "operator");
            if (auth.Operator.HasClaimRule) claims[auth.Operator.ClaimType!] = auth.Operator.ClaimValue!; // the rule the API holds it to
        }
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.Issuer,
            Audience = AuthOptions.Audience,
            Claims = claims,
            Expires = DateTime.UtcNow + lifetime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(auth.SigningKeyBytes), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The longest lifetime <c>--hours</c> accepts: a leaked development token should not outlive a day.</summary>
    public const double MaxHours = 24;

    /// <summary>
    /// Runs the <c>token</c> command; returns the process exit code: 0 with the token on <paramref name="output"/>, or 2 with
    /// the reason on <paramref name="error"/> (no HS256 key, the development key in a real deployment, bad arguments,
    /// <c>--hours</c> over 24).
    /// </summary>
    public static int Run(
        string[] args, IConfiguration configuration, IHostEnvironment environment, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var isOperator = args.Contains("--operator");
        var company = Option("--company");
        var user = Option("--user");
        var role = Option("--role");
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>();
        if (auth?.SigningKey is not { Length: > 0 })
        {
            error.WriteLine("token: Auth:SigningKey is not configured: tokens can only be printed for an HS256 key.");
            return 2;
        }
        // The token is signed with the key whatever Auth:Authority says, so the key alone decides.
        var context = DeploymentChecks.Context(environment, configuration);
        if (DeploymentGuard.SigningKeyProblem(context, auth.SigningKey, authority: null) is { } problem)
        {
            error.WriteLine($"token: refused. {problem}");
            return 2;
        }
        if (!isOperator && (company is null || user is null || role is null))
        {
            error.WriteLine(
                "usage: token --company <companyId> --user <userId> --role <role> [--hours N] [--link] | token --operator [--hours N]");
            return 2;
        }
        var link = args.Contains("--link");
        if (link && isOperator)
        {
            error.WriteLine("token: --link needs --company, --user and --role: the settings page shows a user's own mailbox.");
            return 2;
        }
        var hours = 12.0;
        if (args.Contains("--hours"))
        {
            var text = Option("--hours");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out hours) || !(hours > 0))
            {
                error.WriteLine($"token: --hours must be a number of hours above 0 and at most {MaxHours}, not '{text}'.");
                return 2;
            }
            if (hours > MaxHours)
            {
                error.WriteLine($"token: --hours {text} is refused: development tokens live at most {MaxHours} hours (default 12).");
                return 2;
            }
        }
        var token = Create(auth, company, user, role, isOperator, TimeSpan.FromHours(hours));
        output.WriteLine(link ? SettingsPageLink(configuration["urls"], token) : token);
        return 0;
    }

    /// <summary>Where <c>dotnet run --project Api</c> listens unless told otherwise (Properties/launchSettings.json).</summary>
    public const string DefaultBaseUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// The settings page on the first of the configured <paramref name="urls"/> (ASPNETCORE_URLS, <c>--urls</c>; the launch
    /// profile sets it), a wildcard host read as 127.0.0.1, with the token in the fragment.
    /// </summary>
    public static string SettingsPageLink(string? urls, string token)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var baseUrl = DefaultBaseUrl;
        if (first is not null)
        {
            var loopback = System.Text.RegularExpressions.Regex.Replace(first, @"://(\*|\+|0\.0\.0\.0|\[::\])(?=[:/]|$)", "://127.0.0.1");
            if (Uri.TryCreate(loopback, UriKind.Absolute, out var uri)) baseUrl = uri.GetLeftPart(UriPartial.Authority);
        }
        return $"{baseUrl}/settings/mail-sync#token={token}";
    }
}

using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MailSync.Api.Auth;

/// <summary>
/// <c>dotnet run --project Api -- token --company C --user U --role R</c> (or <c>--operator</c>): prints a token
/// signed with the configured Auth:SigningKey.
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

    /// <summary>Runs the <c>token</c> command; returns the process exit code.</summary>
    public static int Run(string[] args, IConfiguration configuration)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var isOperator = args.Contains("--operator");
        var company = Option("--company");
        var user = Option("--user");
        var role = Option("--role");
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>();
        if (auth?.SigningKey is not { Length: > 0 })
        {
            Console.Error.WriteLine("Auth:SigningKey is not configured: tokens can only be printed for an HS256 key.");
            return 2;
        }
        if (!isOperator && (company is null || user is null || role is null))
        {
            Console.Error.WriteLine("usage: token --company <companyId> --user <userId> --role <role> | token --operator [--hours N]");
            return 2;
        }
        var hours = double.TryParse(Option("--hours"), out var h) && h > 0 ? h : 12;
        Console.WriteLine(Create(auth, company, user, role, isOperator, TimeSpan.FromHours(hours)));
        return 0;
    }
}

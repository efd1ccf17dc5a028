using MailSync.Shared.Configuration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace MailSync.Api.Auth;

public static class AuthSetup
{
    /// <summary>
    /// JWT bearer: HS256 with Auth:SigningKey, or Auth:Authority's OpenID Connect keys. Fails at start when neither is set,
    /// and on the development key in a real deployment (<see cref="DevelopmentKeyGuard"/>).
    /// </summary>
    public static WebApplicationBuilder AddMailSyncAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AuthOptions>(AuthOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, DevelopmentKeyGuard>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, options) =>
            {
                var auth = options.Value;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = AuthOptions.Issuer,
                    ValidAudience = AuthOptions.Audience,
                    NameClaimType = "sub",
                    RoleClaimType = "role",
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                if (!string.IsNullOrEmpty(auth.Authority))
                {
                    jwt.Authority = auth.Authority;
                    jwt.TokenValidationParameters.ValidIssuer = auth.Authority;
                }
                else
                {
                    jwt.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(auth.SigningKeyBytes);
                    jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
                }
            });
        builder.Services.AddAuthorization();
        return builder;
    }
}

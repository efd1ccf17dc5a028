using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace MailSync.Api.Auth;

public static class AuthSetup
{
    /// <summary>JWT bearer: HS256 with Auth:SigningKey, or Auth:Authority's OpenID Connect keys. Fails at start when neither is set.</summary>
    public static WebApplicationBuilder AddMailSyncAuth(this WebApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(auth, new ValidationContext(auth), problems, validateAllProperties: true))
            throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions), problems.Select(p => p.ErrorMessage ?? "invalid"));
        builder.Services.AddSingleton(Options.Create(auth));

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
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

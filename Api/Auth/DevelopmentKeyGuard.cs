using MailSync.Shared.Cluster;
using MailSync.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace MailSync.Api.Auth;

/// <summary>
/// Refuses, at start, the development signing key of <c>Api/appsettings.Development.json</c> where it would verify tokens
/// in a real deployment (<c>Storage:ConnectionString</c> set, or outside Development), and the HS256 key without an
/// <c>Auth:Operator</c> rule outside Development: <see cref="DeploymentGuard"/>.
/// </summary>
internal sealed class DevelopmentKeyGuard(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var context = DeploymentChecks.Context(environment, configuration);
        return DeploymentChecks.Result(
            DeploymentGuard.SigningKeyProblem(context, options.SigningKey, options.Authority),
            DeploymentGuard.SigningKeyOperatorProblem(context, hs256: !options.IsAuthorityMode,
                operatorRuleConfigured: options.Operator.HasClaimRule || options.Operator.HasClientRule));
    }
}

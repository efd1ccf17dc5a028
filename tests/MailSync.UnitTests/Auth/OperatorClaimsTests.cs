using System.Security.Claims;
using MailSync.Api.Auth;
using MailSync.Shared.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MailSync.UnitTests.Auth;

public sealed class OperatorClaimsTests
{
    private const string OperatorClient = "6f1c2a9e-4b7d-4c3e-9f0a-1b2c3d4e5f60";
    private const string OtherClient = "99999999-8888-7777-6666-555555555555";

    private static readonly Claim Scope = new("scope", MailSyncRoles.OperatorScope);
    private static readonly Claim Role = new("roles", "MailSync.Operator");

    private static OperatorOptions Rule() => new() { ClaimType = "roles", ClaimValue = "MailSync.Operator", ClientIds = [OperatorClient] };

    private static AuthOptions Authority(OperatorOptions? rule = null) => new() { Authority = "https://login.example/tenant/v2.0", Operator = rule ?? Rule() };

    private static AuthOptions Hs256(OperatorOptions? rule = null) =>
        new() { SigningKey = "a-key-of-our-own-0123456789-abcdefghijklmnop", Operator = rule ?? new OperatorOptions() };

    private static ClaimsPrincipal Token(params Claim[] claims) => new(new ClaimsIdentity(claims, "Bearer", "sub", "role"));

    [Fact]
    public void In_authority_mode_the_scope_alone_is_not_the_operator()
    {
        Assert.False(Caller.IsOperatorToken(Token(Scope), Authority()));
        Assert.False(Caller.IsOperatorToken(Token(Scope, new Claim("azp", OperatorClient)), Authority()));
        Assert.False(Caller.IsOperatorToken(Token(Scope, Role), Authority()));
    }

    [Fact]
    public void Scope_role_and_an_allowed_azp_make_the_operator()
    {
        var token = Token(Scope, Role, new Claim("azp", OperatorClient), new Claim("sub", "svc"));

        Assert.True(Caller.IsOperatorToken(token, Authority()));
        Assert.True(Caller.From(token, Authority()).IsOperator);
    }

    [Fact]
    public void The_role_and_an_allowed_client_without_the_scope_are_not_the_operator() =>
        Assert.False(Caller.IsOperatorToken(Token(Role, new Claim("azp", OperatorClient), new Claim("scope", "other mailsync.read")), Authority()));

    [Fact]
    public void A_client_not_on_the_allow_list_is_not_the_operator()
    {
        Assert.False(Caller.IsOperatorToken(Token(Scope, Role, new Claim("azp", OtherClient)), Authority()));
        Assert.False(Caller.IsOperatorToken(Token(Scope, Role, new Claim("appid", OtherClient)), Authority()));
        Assert.False(Caller.IsOperatorToken(Token(Scope, Role, new Claim("azp", OperatorClient.ToUpperInvariant())), Authority()));
        // azp names the client when present: an allowed appid beside it changes nothing, and two clients are none.
        Assert.False(Caller.IsOperatorToken(Token(Scope, Role, new Claim("azp", OtherClient), new Claim("appid", OperatorClient)), Authority()));
        Assert.False(Caller.IsOperatorToken(Token(Scope, Role, new Claim("azp", OperatorClient), new Claim("azp", OtherClient)), Authority()));
    }

    [Fact]
    public void An_allowed_appid_stands_in_for_azp() =>
        Assert.True(Caller.IsOperatorToken(Token(Scope, Role, new Claim("appid", OperatorClient)), Authority()));

    [Fact]
    public void The_role_may_be_one_of_several_claims_or_a_JSON_array()
    {
        var client = new Claim("azp", OperatorClient);

        Assert.True(Caller.IsOperatorToken(Token(Scope, new Claim("roles", "Reader"), Role, client), Authority()));
        Assert.True(Caller.IsOperatorToken(Token(Scope, new Claim("roles", """["Reader","MailSync.Operator"]""", "JSON_ARRAY"), client), Authority()));
        Assert.False(Caller.IsOperatorToken(Token(Scope, new Claim("roles", """["Reader","MailSync.Operators"]""", "JSON_ARRAY"), client), Authority()));
        Assert.False(Caller.IsOperatorToken(Token(Scope, new Claim("roles", "mailsync.operator"), client), Authority()));
        Assert.False(Caller.IsOperatorToken(Token(Scope, new Claim("role", "MailSync.Operator"), client), Authority()));
    }

    [Fact]
    public void With_the_HS256_key_the_scope_alone_stays_enough_unless_the_operator_rule_is_configured()
    {
        Assert.True(Caller.IsOperatorToken(Token(Scope), Hs256()));
        Assert.True(Caller.IsOperatorToken(Token(new Claim("scope", "openid mailsync.operator")), Hs256()));
        Assert.False(Caller.IsOperatorToken(Token(new Claim("scope", "mailsync.operators")), Hs256()));
        Assert.False(Caller.IsOperatorToken(Token(Role, new Claim("azp", OperatorClient)), Hs256()));

        Assert.False(Caller.IsOperatorToken(Token(Scope), Hs256(Rule())));
        Assert.False(Caller.IsOperatorToken(Token(Scope, Role, new Claim("azp", OtherClient)), Hs256(Rule())));
        Assert.True(Caller.IsOperatorToken(Token(Scope, Role, new Claim("azp", OperatorClient)), Hs256(Rule())));
        // Each configured rule applies on its own with the HS256 key.
        Assert.True(Caller.IsOperatorToken(Token(Scope, Role), Hs256(new OperatorOptions { ClaimType = "roles", ClaimValue = "MailSync.Operator" })));
        Assert.True(Caller.IsOperatorToken(Token(Scope, new Claim("azp", OperatorClient)), Hs256(new OperatorOptions { ClientIds = [OperatorClient] })));
        Assert.False(Caller.IsOperatorToken(Token(Scope), Hs256(new OperatorOptions { ClientIds = [OperatorClient] })));
    }

    [Fact]
    public void An_authority_without_a_complete_operator_rule_makes_nobody_the_operator()
    {
        var token = Token(Scope, Role, new Claim("azp", OperatorClient));

        Assert.False(Caller.IsOperatorToken(token, Authority(new OperatorOptions())));
        Assert.False(Caller.IsOperatorToken(token, Authority(new OperatorOptions { ClaimType = "roles", ClaimValue = "MailSync.Operator" })));
        Assert.False(Caller.IsOperatorToken(token, Authority(new OperatorOptions { ClientIds = [OperatorClient] })));
    }

    [Fact]
    public void The_company_roles_are_unchanged_by_the_operator_rule()
    {
        var caller = Caller.From(Token(new Claim("sub", "ann"), new Claim("company", "acme"), new Claim("role", "Administrator")), Authority());

        Assert.Equal(new Caller("ann", "acme", "Administrator", IsOperator: false), caller);
        Assert.Equal(AccessDecision.Allow, AccessRules.Decide(caller, AccessRule.CompanyAdmin, "acme", null));
        Assert.Equal(AccessDecision.Forbidden, AccessRules.Decide(caller, AccessRule.Operator, "acme", null));
    }

    private static AuthOptions Read(params (string Key, string Value)[] settings) => ValidatedOptions.Read<AuthOptions>(
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build(),
        AuthOptions.Section);

    [Fact]
    public void An_authority_without_the_operator_settings_stops_the_host_naming_the_keys()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Read(("Auth:Authority", "https://login.example/tenant/v2.0")));
        var message = Assert.Single(refused.Failures);
        Assert.Contains("Auth:Operator:ClaimType", message);
        Assert.Contains("Auth:Operator:ClaimValue", message);
        Assert.Contains("Auth:Operator:ClientIds:<n>", message);

        var noClients = Assert.Throws<OptionsValidationException>(() => Read(
            ("Auth:Authority", "https://login.example/tenant/v2.0"), ("Auth:Operator:ClaimType", "roles"), ("Auth:Operator:ClaimValue", "MailSync.Operator")));
        Assert.Contains("Set Auth:Operator:ClientIds:<n>:", Assert.Single(noClients.Failures));

        var noClaim = Assert.Throws<OptionsValidationException>(() => Read(
            ("Auth:Authority", "https://login.example/tenant/v2.0"), ("Auth:Operator:ClientIds:0", OperatorClient)));
        Assert.Contains("Set Auth:Operator:ClaimType, Auth:Operator:ClaimValue:", Assert.Single(noClaim.Failures));
    }

    [Fact]
    public void A_claim_type_without_a_value_is_refused_even_with_the_HS256_key()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Read(
            ("Auth:SigningKey", "a-key-of-our-own-0123456789-abcdefghijklmnop"), ("Auth:Operator:ClaimType", "roles")));

        Assert.Contains("Auth:Operator:ClaimType and Auth:Operator:ClaimValue go together", Assert.Single(refused.Failures));
    }

    [Fact]
    public void An_authority_with_the_operator_settings_and_the_HS256_key_alone_start()
    {
        var authority = Read(
            ("Auth:Authority", "https://login.example/tenant/v2.0"), ("Auth:Operator:ClaimType", "roles"),
            ("Auth:Operator:ClaimValue", "MailSync.Operator"), ("Auth:Operator:ClientIds:0", OperatorClient), ("Auth:Operator:ClientIds:1", OtherClient));
        var hs256 = Read(("Auth:SigningKey", "a-key-of-our-own-0123456789-abcdefghijklmnop"));

        Assert.Equal([OperatorClient, OtherClient], authority.Operator.ClientIds);
        Assert.True(Caller.IsOperatorToken(Token(Scope, Role, new Claim("azp", OtherClient)), authority));
        Assert.False(hs256.Operator.HasClaimRule || hs256.Operator.HasClientRule);
    }
}

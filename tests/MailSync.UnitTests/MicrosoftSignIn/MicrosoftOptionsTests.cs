using MailSync.Shared.MicrosoftIdentity;

namespace MailSync.UnitTests.MicrosoftSignIn;

/// <summary>Where sign-in goes for each tenant setting, and the admin consent link an administrator is sent to.</summary>
public sealed class MicrosoftOptionsTests
{
    [Theory]
    [InlineData("common", "https://login.microsoftonline.com/common/oauth2/v2.0", "https://login.microsoftonline.com/organizations/v2.0/adminconsent")]
    [InlineData("organizations", "https://login.microsoftonline.com/organizations/oauth2/v2.0", "https://login.microsoftonline.com/organizations/v2.0/adminconsent")]
    [InlineData("contoso.onmicrosoft.com", "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0", "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/adminconsent")]
    public void The_tenant_chooses_the_endpoints_and_the_admin_consent_link(string tenant, string endpoints, string adminConsent)
    {
        var options = new MicrosoftOptions { Tenant = tenant, ClientId = "app-id" };

        Assert.Equal($"{endpoints}/authorize", options.AuthorizationUrl);
        Assert.Equal($"{endpoints}/token", options.TokenUrl);
        Assert.Equal($"{adminConsent}?client_id=app-id&scope=https%3A%2F%2Foutlook.office.com%2FIMAP.AccessAsUser.All", options.AdminConsentUrl);
    }

    [Fact]
    public void Configured_endpoints_win_and_sign_in_needs_the_client_its_secret_and_the_redirect_uri()
    {
        var options = new MicrosoftOptions { TokenEndpoint = "http://127.0.0.1:1/token", ClientId = "app-id", ClientSecret = "s" };

        Assert.Equal("http://127.0.0.1:1/token", options.TokenUrl);
        Assert.False(options.SignInConfigured);
        options.RedirectUri = "https://mailsync.example/v1/oauth/microsoft/callback";
        Assert.True(options.SignInConfigured);
    }
}

using MailSync.Api.Google;
using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.UnitTests.GoogleSignIn;

public sealed class SignInResultTests
{
    private static readonly OAuthState State = new("acme", "ann", "nonce", DateTimeOffset.UnixEpoch, "verifier", "hash");

    private static MailboxView View(MailboxStatus status) =>
        new("acme", "ann", "ann@gmail.test", MailboxProvider.Google, status, null, null, 0, null, null, null);

    [Fact]
    public void The_own_settings_page_gets_the_result_in_the_fragment_only()
    {
        Assert.Equal("/settings/mail-sync#google=connected&status=Enabled&companyId=acme&userId=ann",
            SignInResult.Success(View(MailboxStatus.Enabled)).RedirectTarget(null, ""));
        Assert.Equal("/crm/settings/mail-sync#google=connected&status=Pending&companyId=acme&userId=ann",
            SignInResult.Success(View(MailboxStatus.Pending)).RedirectTarget("", "/crm"));
        Assert.Equal("/settings/mail-sync#google=error&reason=access_denied&companyId=acme&userId=ann",
            SignInResult.Failure(SignInResult.Reasons.AccessDenied, State).RedirectTarget(null, ""));
        Assert.Equal("/settings/mail-sync#google=error&reason=browser_mismatch",
            SignInResult.Failure(SignInResult.Reasons.BrowserMismatch, null).RedirectTarget(null, ""));
    }

    [Fact]
    public void A_configured_page_keeps_its_own_query_and_gets_the_outcome_only_in_the_fragment()
    {
        var result = new SignInResult(SignInResult.Reasons.AccessDenied, null, "acme", "ann");

        var target = result.RedirectTarget("https://crm.example/settings/mail-sync?tab=2#old", "/ignored");

        Assert.Equal("https://crm.example/settings/mail-sync?tab=2#google=error&reason=access_denied&companyId=acme&userId=ann", target);
    }
}

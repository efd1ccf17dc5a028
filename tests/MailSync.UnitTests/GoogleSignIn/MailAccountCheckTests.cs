using MailSync.Api.Google;
using MailSync.Grains.Interfaces.Companies;
using Verdict = MailSync.Api.Google.MailAccountCheck.Verdict;

namespace MailSync.UnitTests.GoogleSignIn;

public sealed class MailAccountCheckTests
{
    [Theory]
    [InlineData(null, "ann@gmail.test", null, OtherMailAccounts.Confirm, Verdict.Connect)] // nothing registered to compare with
    [InlineData(null, "ann@gmail.test", "ann@gmail.test", OtherMailAccounts.Refuse, Verdict.Refuse)] // registered addresses only
    [InlineData("Ann@Gmail.test", "ann@gmail.test", null, OtherMailAccounts.Refuse, Verdict.Connect)]
    [InlineData("ann@crm.example", "ann@gmail.test", null, OtherMailAccounts.Confirm, Verdict.Confirm)]
    [InlineData("ann@crm.example", "ann@gmail.test", "ANN@gmail.test", OtherMailAccounts.Confirm, Verdict.Connect)]
    [InlineData("ann@crm.example", "eve@gmail.test", "ann@gmail.test", OtherMailAccounts.Confirm, Verdict.Confirm)] // confirmed another
    [InlineData("ann@crm.example", "ann@gmail.test", "ann@gmail.test", OtherMailAccounts.Refuse, Verdict.Refuse)]
    public void Another_account_than_the_registered_address_needs_the_users_confirmation_or_is_refused_by_the_company(
        string? registered, string account, string? confirmed, OtherMailAccounts policy, Verdict expected)
    {
        Assert.Equal(expected, MailAccountCheck.Decide(registered, account, confirmed, policy));
    }
}

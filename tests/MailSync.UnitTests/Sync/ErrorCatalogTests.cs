using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;

namespace MailSync.UnitTests.Sync;

/// <summary>The words users read in the error log, for every code and every way a mailbox signs in.</summary>
public sealed class ErrorCatalogTests
{
    public static TheoryData<MailboxErrorCode, MailboxProvider> EveryCodeAndProvider()
    {
        var data = new TheoryData<MailboxErrorCode, MailboxProvider>();
        foreach (var code in Enum.GetValues<MailboxErrorCode>())
        {
            foreach (var provider in Enum.GetValues<MailboxProvider>()) data.Add(code, provider);
        }
        return data;
    }

    public static TheoryData<MailboxErrorCode> EveryCode() => new(Enum.GetValues<MailboxErrorCode>());

    [Theory]
    [MemberData(nameof(EveryCodeAndProvider))]
    public void Every_code_has_a_message_and_a_fix_for_every_provider_in_whole_sentences(MailboxErrorCode code, MailboxProvider provider)
    {
        var (message, fix) = ErrorCatalog.Describe(code, provider);

        Assert.EndsWith(".", message);
        Assert.EndsWith(".", fix);
        Assert.True(char.IsUpper(message[0]) && char.IsUpper(fix[0]), $"{code}/{provider}: {message} {fix}");
    }

    [Theory]
    [MemberData(nameof(EveryCode))]
    public void A_Google_sign_in_user_reads_about_a_password_only_as_the_fallback_when_Googles_side_keeps_failing(MailboxErrorCode code)
    {
        var (message, fix) = ErrorCatalog.Describe(code, MailboxProvider.Google);

        if (code is MailboxErrorCode.OAuthAccessRefused or MailboxErrorCode.OAuthServerUnavailable)
        {
            Assert.Contains("Google app password", fix);
            Assert.Contains(ErrorCatalog.AppPasswordPage, fix);
            Assert.Contains("meanwhile", fix);
        }
        else
        {
            Assert.DoesNotContain("password", message + " " + fix, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [MemberData(nameof(EveryCode))]
    public void A_Microsoft_user_reads_Microsofts_terms_never_Googles_and_is_never_sent_for_an_app_password(MailboxErrorCode code)
    {
        var (message, fix) = ErrorCatalog.Describe(code, MailboxProvider.Microsoft);

        Assert.DoesNotContain("Google", message + " " + fix, StringComparison.Ordinal);
        Assert.DoesNotContain("Gmail", message + " " + fix, StringComparison.Ordinal);
        Assert.DoesNotContain("app password", message + " " + fix, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(MailboxErrorCode.AuthenticationFailed)]
    [InlineData(MailboxErrorCode.OAuthTokenRevoked)]
    [InlineData(MailboxErrorCode.OAuthScopeMissing)]
    [InlineData(MailboxErrorCode.OAuthAccessRefused)]
    public void A_refused_Microsoft_sign_in_says_sign_in_with_Microsoft_again(MailboxErrorCode code)
    {
        Assert.StartsWith("Sign in with Microsoft again", ErrorCatalog.Describe(code, MailboxProvider.Microsoft).Fix);
    }

    [Theory]
    [InlineData(MailboxErrorCode.AuthenticationFailed)]
    [InlineData(MailboxErrorCode.OAuthTokenRevoked)]
    [InlineData(MailboxErrorCode.OAuthScopeMissing)]
    [InlineData(MailboxErrorCode.OAuthAccessRefused)]
    public void A_refused_Google_sign_in_says_sign_in_with_Google_again(MailboxErrorCode code)
    {
        Assert.StartsWith("Sign in with Google again", ErrorCatalog.Describe(code, MailboxProvider.Google).Fix);
    }

    [Theory]
    [InlineData(MailboxErrorCode.AuthenticationFailed)]
    [InlineData(MailboxErrorCode.AppPasswordRequired)]
    public void An_app_password_user_is_told_where_Google_makes_a_new_app_password(MailboxErrorCode code)
    {
        var (message, fix) = ErrorCatalog.Describe(code, MailboxProvider.GoogleAppPassword);

        Assert.Contains("app password", message);
        Assert.Contains("https://myaccount.google.com/apppasswords", fix);
        Assert.Contains("2-Step Verification", fix);
        Assert.DoesNotContain("username", message + fix, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_custom_IMAP_user_reads_about_the_username_and_password_of_their_own_server()
    {
        var (message, fix) = ErrorCatalog.Describe(MailboxErrorCode.AuthenticationFailed, MailboxProvider.Custom);

        Assert.Equal("The mail server rejected the username or password.", message);
        Assert.Contains("username and password you use for this mail server", fix);
        Assert.DoesNotContain("Google", message + fix);
    }

    [Theory]
    [InlineData(MailboxErrorCode.HostNotFound)]
    [InlineData(MailboxErrorCode.HostNotAllowed)]
    [InlineData(MailboxErrorCode.ConnectionRefused)]
    [InlineData(MailboxErrorCode.ConnectionTimeout)]
    [InlineData(MailboxErrorCode.TlsFailure)]
    public void Gmail_network_failures_ask_nothing_of_Google_users_that_custom_servers_ask(MailboxErrorCode code)
    {
        foreach (var provider in new[] { MailboxProvider.Google, MailboxProvider.GoogleAppPassword })
        {
            var (message, fix) = ErrorCatalog.Describe(code, provider);
            Assert.Contains("Gmail", message);
            Assert.StartsWith("Nothing to do", fix);
        }
        Assert.StartsWith("Check", ErrorCatalog.Describe(MailboxErrorCode.HostNotFound, MailboxProvider.Custom).Fix);
    }

    [Theory]
    [MemberData(nameof(EveryCodeAndProvider))]
    public void Design_md_lists_every_message_and_fix(MailboxErrorCode code, MailboxProvider provider)
    {
        var design = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "design.md"));
        var (message, fix) = ErrorCatalog.Describe(code, provider);

        Assert.Contains(message, design);
        Assert.Contains(fix, design);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MailSync.Orleans.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("MailSync.Orleans.sln not found above the test binaries.");
    }
}

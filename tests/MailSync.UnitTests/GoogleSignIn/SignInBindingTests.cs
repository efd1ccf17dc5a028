using MailSync.Api.Google;

namespace MailSync.UnitTests.GoogleSignIn;

public sealed class SignInBindingTests
{
    [Fact]
    public void Only_the_binder_whose_hash_the_state_carries_matches()
    {
        var (binder, hash) = SignInBinding.Create();
        var (otherBinder, otherHash) = SignInBinding.Create();

        Assert.True(SignInBinding.Matches(binder, hash));
        Assert.False(SignInBinding.Matches(otherBinder, hash));
        Assert.False(SignInBinding.Matches(null, hash));
        Assert.False(SignInBinding.Matches("", hash));
        Assert.False(SignInBinding.Matches(binder, null)); // a state sealed before the binding existed
        Assert.False(SignInBinding.Matches(hash, hash)); // the hash itself is no binder
        Assert.NotEqual(SignInBinding.CookieName(hash), SignInBinding.CookieName(otherHash));
        Assert.DoesNotContain(binder, SignInBinding.CookieName(hash));
    }
}

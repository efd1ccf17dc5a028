using MailSync.Shared.Webhooks;

namespace MailSync.UnitTests.Webhooks;

public sealed class WebhookSignatureTests
{
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    [Fact]
    public void Signs_the_standard_webhooks_test_vector_exactly()
    {
        // The Standard Webhooks reference libraries' vector: a receiver's off-the-shelf verifier accepts what we send.
        var key = WebhookSecret.Key(SpecSecret)!;

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSignature.Sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"));
    }

    [Fact]
    public void Verifies_its_own_signature_among_several_and_refuses_a_changed_body_id_or_timestamp()
    {
        var key = WebhookSecret.Key(SpecSecret)!;
        var signature = WebhookSignature.Sign(key, "evt_1", 1700000000, "{\"a\":1}");

        Assert.True(WebhookSignature.Verify(key, "evt_1", 1700000000, "{\"a\":1}", $"v1,bm9wZQ== {signature}"));
        Assert.False(WebhookSignature.Verify(key, "evt_1", 1700000000, "{\"a\":2}", signature));
        Assert.False(WebhookSignature.Verify(key, "evt_2", 1700000000, "{\"a\":1}", signature));
        Assert.False(WebhookSignature.Verify(key, "evt_1", 1700000001, "{\"a\":1}", signature));
    }

    [Theory]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 24)] // 24 bytes: the shortest allowed
    [InlineData("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", 64)] // 64 bytes: the longest
    public void Accepts_secrets_of_24_to_64_bytes(string secret, int bytes) => Assert.Equal(bytes, WebhookSecret.Key(secret)!.Length);

    [Theory]
    [InlineData(null)]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")] // no prefix
    [InlineData("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")] // 23 bytes
    [InlineData("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 66 bytes
    [InlineData("whsec_not base64 at all!")]
    public void Refuses_other_secrets(string? secret) => Assert.Null(WebhookSecret.Key(secret));
}

using System.Net;
using MailSync.Tests.Infrastructure;

namespace MailSync.Tests.Foundation;

[Collection(ApiCollection.Name)]
public sealed class ApiHostTests(ApiFixture api)
{
    [Fact]
    public async Task Cohosted_api_on_Kestrel_reports_live_and_then_ready()
    {
        var live = await api.Http.GetAsync("/health/live");
        var ready = await Poll.UntilAsync(() => api.Http.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("127.0.0.1", api.Http.BaseAddress!.Host);
    }
}

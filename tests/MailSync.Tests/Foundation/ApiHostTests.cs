using System.Net;
using MailSync.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailSync.Tests.Foundation;

public sealed class ApiHostTests
{
    [Fact]
    public async Task Cohosted_api_on_Kestrel_reports_live_and_then_ready()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Orleans:SiloPort", FreePort.Next().ToString());
            web.UseSetting("Orleans:GatewayPort", FreePort.Next().ToString());
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        var live = await http.GetAsync("/health/live");
        var ready = await Poll.UntilAsync(() => http.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.StartsWith("http://127.0.0.1:", address);
    }
}

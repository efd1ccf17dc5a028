using System.Net;
using MailSync.Grains.Hosting;
using MailSync.Shared.Cluster;
using MailSync.Shared.Configuration;
using MailSync.Shared.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

// Settings files sit beside the binary, wherever the silo is started from.
var settings = new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory };
// A web server only for the dashboard, and only when Dashboard:Port is set (read from the same sources the host reads).
var dashboard = ValidatedOptions.Read<DashboardSettings>(Host.CreateApplicationBuilder(settings).Configuration, DashboardSettings.Section);
var serveDashboard = dashboard.Enabled && dashboard.Port is not null;
IHostApplicationBuilder builder = serveDashboard
    ? WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory })
    : Host.CreateApplicationBuilder(settings);
if (builder is WebApplicationBuilder web)
    // loopback only: see docs/adr/0034-observability-and-the-openapi-document.md
    web.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, dashboard.Port!.Value));
builder.UseOrleans(silo => silo.UseMailSyncCluster(builder.Configuration).AddMailSyncGrains());
builder.Services.AddMailSyncTelemetryExport(builder.Configuration, "mailsync-silo");
// Give in-flight grain calls and the membership table time to hand over on Ctrl-C / SIGTERM.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
IHost host = builder switch
{
    WebApplicationBuilder w => w.Build(),
    HostApplicationBuilder h => h.Build(),
    _ => throw new InvalidOperationException("Unknown host builder."),
};
if (host is WebApplication app) app.MapOrleansDashboard(DashboardSettings.Path);
// Refused settings (a bad value, memory storage outside Development, no Secrets:Keys where they are needed) end it with exit code 1.
return await host.RunOrRefuseAsync("MailSync silo");

/// <summary>Internal: the test projects reference both hosts, and only the API's entry point is theirs to host.</summary>
internal partial class Program;

using MailSync.Grains.Hosting;
using MailSync.Shared.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Settings files sit beside the binary, wherever the silo is started from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.UseOrleans(silo => silo.UseMailSyncCluster(builder.Configuration).AddMailSyncGrains());
// Give in-flight grain calls and the membership table time to hand over on Ctrl-C / SIGTERM.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
await builder.Build().RunAsync();

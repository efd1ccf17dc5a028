using MailSync.Grains.Hosting;
using MailSync.Shared.Cluster;
using MailSync.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Settings files sit beside the binary, wherever the silo is started from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.UseOrleans(silo => silo.UseMailSyncCluster(builder.Configuration).AddMailSyncGrains());
// Give in-flight grain calls and the membership table time to hand over on Ctrl-C / SIGTERM.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
// Refused settings (a bad value, memory storage outside Development, no Secrets:Keys where they are needed) end it with exit code 1.
return await builder.Build().RunOrRefuseAsync("MailSync silo");

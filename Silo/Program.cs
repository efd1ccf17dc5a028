using MailSync.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.UseMailSyncCluster(builder.Configuration));
// Give in-flight grain calls and the membership table time to hand over on Ctrl-C / SIGTERM.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
await builder.Build().RunAsync();

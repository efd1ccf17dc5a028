using MailSync.Api.Health;
using MailSync.Api.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);
builder.AddMailSyncOrleans();
builder.Services.AddProblemDetails();
builder.Services.AddHealthChecks().AddCheck<ClusterReadinessCheck>("orleans", tags: ["ready"]);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
app.Run();

/// <summary>Entry point, visible to the tests that host the API.</summary>
public partial class Program;

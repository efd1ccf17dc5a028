using System.Text.Json.Serialization;
using MailSync.Api.Auth;
using MailSync.Api.Companies;
using MailSync.Api.Diagnostics;
using MailSync.Api.Errors;
using MailSync.Api.Google;
using MailSync.Api.Health;
using MailSync.Api.Hosting;
using MailSync.Api.Leads;
using MailSync.Api.Mailboxes;
using MailSync.Api.Metrics;
using MailSync.Api.OpenApi;
using MailSync.Api.Settings;
using MailSync.Api.Webhooks;
using MailSync.Shared.Configuration;
using MailSync.Shared.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Orleans.Dashboard;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
if (args.FirstOrDefault() == "token") return DevelopmentTokens.Run(args, builder.Configuration, builder.Environment);

builder.AddMailSyncOrleans();
builder.AddMailSyncAuth();
builder.Services.AddSingleton<KnownCompanies>();
builder.Services.AddSingleton<OAuthStateCodec>();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
builder.Services.AddExceptionHandler<TransientFaultExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024);
builder.Services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityTransformer>().AddDocumentTransformer<DocumentShapeTransformer>());
var metrics = ValidatedOptions.Read<MetricsOptions>(builder.Configuration, MetricsOptions.Section);
var openApi = ValidatedOptions.Read<OpenApiAccessOptions>(builder.Configuration, OpenApiAccessOptions.Section);
builder.AddOperationsAccess(metrics.Key);
string[] meters = [MailSyncMetrics.MeterName, .. metrics.AdditionalMeters];
builder.Services.AddOpenTelemetry().WithMetrics(exporter => exporter.AddMeter(meters).AddPrometheusExporter());
builder.Services.AddMailSyncTelemetryExport(builder.Configuration, "mailsync-api", tracing => tracing.AddAspNetCoreInstrumentation(o => o.Filter = TracedRequests.Include));
var dashboard = ValidatedOptions.Read<DashboardSettings>(builder.Configuration, DashboardSettings.Section);
builder.Services.AddMailSyncSettingsPage();
builder.Services.AddHealthChecks().AddCheck<ClusterReadinessCheck>("orleans", tags: ["ready"]);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
// Outside Development (or when configured) only the operator or Metrics:Key reads these.
app.MapOpenApi().RequireOperationsAccess(openApi.RequiresAuthorization(app.Environment));
app.MapPrometheusScrapingEndpoint("/metrics").RequireOperationsAccess(metrics.RequiresAuthorization(app.Environment));
if (app.Environment.IsDevelopment()) app.MapScalarApiReference();
// Orleans Dashboard: grain state and live logs, so the operator's token alone opens it outside Development.
if (dashboard.Enabled)
    app.MapOrleansDashboard(DashboardSettings.Path).RequireOperator(dashboard.RequiresAuthorization(app.Environment.IsDevelopment())).ExcludeFromDescription();

var v1 = app.MapGroup("/v1").RequireAuthorization().AddEndpointFilter<ClusterFaultRetryFilter>();
v1.MapCompanyEndpoints();
v1.MapMailboxEndpoints();
v1.MapLeadEndpoints();
v1.MapGoogleSignInEndpoints();
v1.MapWebhookEndpoints();
app.MapMailSyncSettingsPage();

// Settings refused at start (a bad value, a development setting in a real deployment) end it with exit code 1.
return await app.RunOrRefuseAsync("MailSync API");

/// <summary>Entry point, visible to the tests that host the API.</summary>
public partial class Program;

using System.Text.Json.Serialization;
using MailSync.Api.Auth;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.HttpOverrides;
using MailSync.Api.Companies;
using MailSync.Api.Diagnostics;
using MailSync.Api.Errors;
using MailSync.Api.Google;
using MailSync.Api.Health;
using MailSync.Api.Hosting;
using MailSync.Api.Leads;
using MailSync.Api.MicrosoftSignIn;
using MailSync.Api.NeverLog;
using MailSync.Api.Mailboxes;
using MailSync.Api.Metrics;
using MailSync.Api.OpenApi;
using MailSync.Api.Settings;
using MailSync.Api.Webhooks;
using MailSync.Shared.Configuration;
using MailSync.Shared.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Dashboard;
using Scalar.AspNetCore;

namespace MailSync.Api.Extensions;

/// <summary>The API host's services and endpoints, so Program.cs reads as two lines.</summary>
public static class MailSyncApiExtensions
{
    /// <summary>Orleans (client or co-hosted silo), auth, problem details, OpenAPI, telemetry, health and the settings page.</summary>
    public static WebApplicationBuilder AddMailSyncApi(this WebApplicationBuilder builder)
    {
        builder.AddMailSyncOrleans();
        builder.AddMailSyncAuth();
        var services = builder.Services;
        services.AddSingleton<KnownCompanies>();
        services.AddSingleton<OAuthStateCodec>();
        services.AddValidatedOptions<ProxyOptions>(ProxyOptions.Section);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) =>
        {
            // Only the configured proxies are believed (with none, nothing is: empty lists would believe anyone).
            forwarded.ForwardedHeaders = proxy.Value.TrustedNetworks.Count > 0
                ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                : ForwardedHeaders.None;
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var network in proxy.Value.Networks) forwarded.KnownIPNetworks.Add(network);
        });
        services.AddProblemDetails();
        services.AddApiRateLimits();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<TransientFaultExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024);
        services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityTransformer>().AddDocumentTransformer<DocumentShapeTransformer>());
        var metrics = ValidatedOptions.Read<MetricsOptions>(builder.Configuration, MetricsOptions.Section);
        builder.AddOperationsAccess(metrics.Key);
        string[] meters = [MailSyncMetrics.MeterName, .. metrics.AdditionalMeters];
        services.AddOpenTelemetry().WithMetrics(exporter => exporter.AddMeter(meters).AddPrometheusExporter());
        services.AddMailSyncTelemetryExport(builder.Configuration, "mailsync-api",
            tracing => tracing.AddAspNetCoreInstrumentation(o => o.Filter = TracedRequests.Include));
        services.AddMailSyncSettingsPage();
        services.AddHealthChecks().AddCheck<ClusterReadinessCheck>("orleans", tags: ["ready"]);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    /// <summary>Health, operations endpoints (OpenAPI, metrics, dashboard), the v1 API and the settings page.</summary>
    public static WebApplication MapMailSyncApi(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter(); // after authentication: a caller is known by its token
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapOperations();

        var v1 = app.MapGroup("/v1").RequireAuthorization().AddEndpointFilter<ClusterFaultRetryFilter>();
        v1.MapCompanyEndpoints();
        v1.MapMailboxEndpoints();
        v1.MapLeadEndpoints();
        v1.MapNeverLogEndpoints();
        v1.MapGoogleSignInEndpoints();
        v1.MapMicrosoftSignInEndpoints();
        v1.MapWebhookEndpoints();
        app.MapMailSyncSettingsPage();
        return app;
    }

    /// <summary>Outside Development (or when configured) only the operator or Metrics:Key reads these.</summary>
    private static void MapOperations(this WebApplication app)
    {
        var configuration = app.Configuration;
        var metrics = ValidatedOptions.Read<MetricsOptions>(configuration, MetricsOptions.Section);
        var openApi = ValidatedOptions.Read<OpenApiAccessOptions>(configuration, OpenApiAccessOptions.Section);
        var dashboard = ValidatedOptions.Read<DashboardSettings>(configuration, DashboardSettings.Section);
        app.MapOpenApi().RequireOperationsAccess(openApi.RequiresAuthorization(app.Environment));
        app.MapPrometheusScrapingEndpoint("/metrics").RequireOperationsAccess(metrics.RequiresAuthorization(app.Environment));
        if (app.Environment.IsDevelopment()) app.MapScalarApiReference();
        // Orleans Dashboard: grain state and live logs, so the operator's token alone opens it outside Development.
        if (dashboard.Enabled)
        {
            app.MapOrleansDashboard(DashboardSettings.Path)
                .RequireOperator(dashboard.RequiresAuthorization(app.Environment.IsDevelopment()))
                .ExcludeFromDescription();
        }
    }
}

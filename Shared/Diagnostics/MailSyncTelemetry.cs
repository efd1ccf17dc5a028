using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MailSync.Shared.Diagnostics;

/// <summary>
/// Traces and logs out of the process over OTLP, only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is configured (the standard
/// OpenTelemetry variables set the rest: protocol, headers, service name). Without it nothing listens, so no span is
/// even created; there is no console exporter.
/// </summary>
public static class MailSyncTelemetry
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static bool ExportsTo(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[EndpointKey]);

    /// <param name="serviceName">The default <c>service.name</c> (OTEL_SERVICE_NAME overrides it).</param>
    /// <param name="hostTracing">What this host traces besides ours, Orleans' and outgoing HTTP (the API adds its requests).</param>
    public static IServiceCollection AddMailSyncTelemetryExport(
        this IServiceCollection services, IConfiguration configuration, string serviceName,
        Action<TracerProviderBuilder>? hostTracing = null)
    {
        if (!ExportsTo(configuration)) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                // System.Net.Http: Google's token, userinfo and revocation endpoints, called inside passes and sign-ins.
                tracing.AddSource([.. MailSyncActivities.OwnSourceNames, .. MailSyncActivities.OrleansSourceNames,
                    MailSyncActivities.HttpClientSourceName]);
                hostTracing?.Invoke(tracing);
                tracing.AddOtlpExporter();
            })
            // Log records carry the active trace and span ids and the scopes (company, user, pass id).
            .WithLogging(logs => logs.AddOtlpExporter(), options => options.IncludeScopes = true);
        return services;
    }
}

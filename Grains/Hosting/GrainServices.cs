using System.ComponentModel.DataAnnotations;
using Azure.Data.Tables;
using MailSync.Grains.Auth;
using MailSync.Grains.Leads;
using MailSync.Grains.Storage;
using MailSync.Grains.Timeline;
using MailSync.Grains.Mailboxes;
using MailSync.Grains.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace MailSync.Grains.Hosting;

public static class GrainServices
{
    /// <summary>What the grains need on every silo: the shared services, the IMAP pool, the connector, the stores.</summary>
    public static IServiceCollection AddMailSyncGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMailSyncSharedServices(configuration);
        services.TryAddSingleton<ImapSessionPool>();
        services.TryAddSingleton<GoogleAccessTokens>();
        services.TryAddSingleton<IMailboxAuthenticator, MailboxAuthenticator>();
        services.TryAddSingleton<ImapSessionFactory>();
        services.TryAddSingleton<ILeadResolver, GrainLeadResolver>();
        services.TryAddSingleton<IMailboxConnector, ImapSyncEngine>();
        if (configuration["Storage:ConnectionString"] is { Length: > 0 } connection)
        {
            services.TryAddSingleton(new MailSyncTables(new TableServiceClient(connection)));
            services.TryAddSingleton<ILeadStore, AzureLeadStore>();
            services.TryAddSingleton<ITimelineStore, AzureTimelineStore>();
        }
        else
        {
            services.TryAddSingleton<ILeadStore, MemoryLeadStore>();
            services.TryAddSingleton<ITimelineStore, MemoryTimelineStore>();
        }
        return services;
    }

    /// <summary>
    /// What silos and API hosts both need, whether co-hosted or not: options validated at start, the clock, the
    /// encryption of secrets with keys every host shares, and Google's token endpoint. Registered once per container.
    /// </summary>
    public static IServiceCollection AddMailSyncSharedServices(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(SharedServicesMarker))) return services;
        services.AddSingleton<SharedServicesMarker>();
        services.TryAddSingleton(new MailSyncClock(TimeProvider.System)); // tests register a fake clock first
        services.AddOptions<MailSyncOptions>().Bind(configuration.GetSection(MailSyncOptions.Section))
            .Validate<IOptions<ReminderOptions>>((o, reminders) => o.ReminderPeriod >= reminders.Value.MinimumReminderPeriod,
                "MailSync:ReminderPeriod is below Orleans' ReminderOptions.MinimumReminderPeriod (1 minute unless lowered).")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailSyncOptions>, DataAnnotationsValidator<MailSyncOptions>>();
        services.AddOptions<SecretOptions>().Bind(configuration.GetSection(SecretOptions.Section))
            .Validate<IHostEnvironment>((o, env) => o.Keys.Count > 0 || env.IsDevelopment(),
                "Secrets:Keys is empty: configure at least one base64 32-byte key (Secrets:Keys:<id>) shared by every silo.")
            .ValidateOnStart();
        services.TryAddSingleton<SecretProtector>();
        services.AddOptions<GoogleOptions>().Bind(configuration.GetSection(GoogleOptions.Section));
        // One long-lived client; pooled connections are recycled so DNS changes of Google's endpoints are seen.
        services.TryAddSingleton(sp => new GoogleTokenClient(sp.GetRequiredService<IOptions<GoogleOptions>>(),
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) }));
        return services;
    }

    /// <summary>Marks a container that already has the shared services (a co-hosted silo added them).</summary>
    private sealed class SharedServicesMarker;

    private sealed class DataAnnotationsValidator<T> : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var results = new List<ValidationResult>();
            return Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(results.Select(r => r.ErrorMessage ?? "invalid MailSync option"));
        }
    }
}

using Azure.Data.Tables;
using MailSync.Grains.Auth;
using MailSync.Grains.Directory;
using MailSync.Grains.Leads;
using MailSync.Grains.NeverLog;
using MailSync.Grains.Scheduling;
using MailSync.Grains.Storage;
using MailSync.Grains.Sync;
using MailSync.Grains.Timeline;
using MailSync.Grains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MailSync.Grains.Hosting;

public static class GrainsHosting
{
    /// <summary>
    /// What the grains need on a silo: the IMAP pool and sync engine, Google access tokens, and the lead and timeline
    /// stores: on Azure Tables when the host registered a <see cref="TableServiceClient"/> (Storage:ConnectionString),
    /// in memory otherwise. Call after <c>UseMailSyncCluster</c>, which registers the shared services.
    /// </summary>
    public static ISiloBuilder AddMailSyncGrains(this ISiloBuilder silo)
    {
        var services = silo.Services;
        services.TryAddSingleton<ImapSessionPool>();
        services.TryAddSingleton<GoogleAccessTokens>();
        services.TryAddSingleton<MicrosoftAccessTokens>();
        services.TryAddSingleton<IMailboxAuthenticator, MailboxAuthenticator>();
        services.TryAddSingleton<ImapSessionFactory>();
        services.TryAddSingleton<LeadAddressCache>();
        services.TryAddSingleton<LeadLookup>();
        services.TryAddSingleton<ILeadResolver>(sp => sp.GetRequiredService<LeadLookup>());
        services.TryAddSingleton<LeadCacheInvalidator>();
        services.AddGrainService<LeadCacheService>();
        services.TryAddSingleton<IMailboxConnector, ImapSyncEngine>();
        services.TryAddSingleton(sp => new MailSyncTables(sp.GetRequiredService<TableServiceClient>()));
        services.TryAddSingleton<ILeadStore>(sp => sp.GetService<TableServiceClient>() is null
            ? new MemoryLeadStore()
            : ActivatorUtilities.CreateInstance<AzureLeadStore>(sp));
        services.TryAddSingleton<ITimelineStore>(sp => sp.GetService<TableServiceClient>() is null
            ? new MemoryTimelineStore()
            : ActivatorUtilities.CreateInstance<AzureTimelineStore>(sp));
        services.TryAddSingleton<ICompanyRows>(sp => sp.GetService<TableServiceClient>() is null
            ? new MemoryCompanyRows()
            : ActivatorUtilities.CreateInstance<AzureCompanyRows>(sp));
        services.TryAddSingleton<MailboxDirectoryWriter>();
        services.TryAddSingleton<NeverLogRows>();
        services.TryAddSingleton<INeverLogReader, NeverLogReader>();
        services.TryAddSingleton<WebhookSender>();
        services.AddHostedService<KeeperReviver>();
        services.AddHostedService<NativeHeapTrimmer>();
        services.AddHostedService<ManagedHeapCompactor>();
        return silo;
    }
}

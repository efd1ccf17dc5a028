using MailSync.Bench;

// Benchmarks print figures; they never assert on time. Run them with scripts/bench.sh (starts the servers they need).
var which = args.FirstOrDefault() ?? "sync";
switch (which)
{
    case "sync":
        await SyncBenchmark.RunAsync();
        break;
    case "folders":
        await FoldersBenchmark.RunAsync();
        break;
    case "api":
        await ApiLoadBenchmark.RunAsync(args.ElementAtOrDefault(1) ?? throw new ArgumentException("usage: api <path to MailSync.Api.dll>"));
        break;
    case "tenant":
        await TenantBenchmark.RunAsync(
            args.ElementAtOrDefault(1) ?? throw new ArgumentException("usage: tenant <Azurite Table connection string> [Azurite process id]"),
            args.ElementAtOrDefault(2) is { } pid ? int.Parse(pid) : null);
        break;
    case "cluster":
        await ClusterBenchmark.RunAsync(args.ElementAtOrDefault(1) is { } count ? int.Parse(count) : 300);
        break;
    case "sessions":
        await SessionMemoryBenchmark.RunAsync(args.ElementAtOrDefault(1) is { } n ? int.Parse(n) : 80, args.Contains("idle"));
        break;
    case "webhooks":
        await WebhookBenchmark.RunAsync();
        break;
    case "fleet":
        await FleetBenchmark.RunAsync(args.ElementAtOrDefault(1) is { } fleet ? int.Parse(fleet) : 10_000,
            TimeSpan.FromMinutes(args.ElementAtOrDefault(2) is { } window ? double.Parse(window, System.Globalization.CultureInfo.InvariantCulture) : 3),
            TimeSpan.FromMinutes(args.ElementAtOrDefault(3) is { } limit ? double.Parse(limit, System.Globalization.CultureInfo.InvariantCulture) : 10));
        break;
    case "leads":
        await LeadsBenchmark.RunAsync(
            args.ElementAtOrDefault(1) ?? throw new ArgumentException("usage: leads <path to MailSync.Api.dll> <Azurite Table connection string> [n]"),
            args.ElementAtOrDefault(2) ?? throw new ArgumentException("usage: leads <path to MailSync.Api.dll> <Azurite Table connection string> [n]"),
            args.ElementAtOrDefault(3) is { } leads ? int.Parse(leads) : 1_000_000);
        break;
    case "storage":
        await StorageBenchmark.RunAsync();
        break;
    case "backfill":
        await BackfillBenchmark.RunAsync(
            args.ElementAtOrDefault(1) is { } mailboxes ? int.Parse(mailboxes) : 100,
            args.ElementAtOrDefault(2) is { } messages ? int.Parse(messages) : 2_000,
            args.ElementAtOrDefault(3) is { } newLeads ? int.Parse(newLeads) : 10_000);
        break;
    default:
        Console.Error.WriteLine($"unknown benchmark '{which}'; known: sync, folders, api, tenant, cluster, sessions, webhooks, fleet, leads, backfill, storage");
        return 2;
}
return 0;

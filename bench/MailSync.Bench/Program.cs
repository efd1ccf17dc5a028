using MailSync.Bench;

// Benchmarks print figures; they never assert on time. Run them with scripts/bench.sh (starts the test servers).
var which = args.FirstOrDefault() ?? "sync";
switch (which)
{
    case "sync":
        await SyncBenchmark.RunAsync();
        break;
    case "api":
        await ApiLoadBenchmark.RunAsync(args.ElementAtOrDefault(1) ?? throw new ArgumentException("usage: api <path to MailSync.Api.dll>"));
        break;
    default:
        Console.Error.WriteLine($"unknown benchmark '{which}'; known: sync, api");
        return 2;
}
return 0;

using MailSync.Bench;

// Benchmarks print figures; they never assert on time. Run them with scripts/bench.sh (starts the test servers).
var which = args.FirstOrDefault() ?? "sync";
switch (which)
{
    case "sync":
        await SyncBenchmark.RunAsync();
        break;
    default:
        Console.Error.WriteLine($"unknown benchmark '{which}'; known: sync");
        return 2;
}
return 0;

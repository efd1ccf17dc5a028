using MailSync.Grains.Sync;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailSync.IntegrationTests.Mailboxes;

/// <summary>
/// A good pass hands its last cursors back with its outcome, and the mailbox stores them in the outcome's write: the next
/// pass goes on from them, on the next silo too; a pass whose credentials were replaced meanwhile keeps none. A real silo
/// on Azurite, passes scripted.
/// </summary>
[Trait("Category", "Servers")]
public sealed class PassCursorTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly FolderCursor Before = new(7, 40, null);
    private static readonly FolderCursor After = new(7, 42, null);

    private static IReadOnlyDictionary<string, string?> Settings() => new Dictionary<string, string?>(AzuriteSilo.NewSettings())
    {
        ["MailSync:PollInterval"] = "00:00:01",
        ["MailSync:PollJitter"] = "0",
    };

    private static Action<IServiceCollection> With(ScriptedConnector connector) =>
        services => services.AddSingleton<IMailboxConnector>(connector);

    private static SyncOutcome Handing(FolderCursor cursor) =>
        SyncOutcome.Success(0) with { Cursors = new Dictionary<string, FolderCursor?> { [FolderKeys.Inbox] = cursor } };

    [Fact]
    public async Task The_last_cursor_of_a_pass_that_changed_nothing_else_is_stored_and_the_next_silo_goes_on_from_it()
    {
        var settings = Settings();
        var company = $"co-{Guid.NewGuid():N}";
        var first = new ScriptedConnector();
        await using (var silo = new AzuriteSilo(settings, With(first)))
        {
            await silo.StartAsync();
            var grains = new TestCompany(silo.Grains, company);
            // The first pass sets the last sync time (a write anyway); later ones move only the cursor.
            first.Script(grains.Key("ann"),
                (request, _) => Task.FromResult(Handing(request.Cursors.ContainsKey(FolderKeys.Inbox) ? After : Before)));
            await grains.Grain.Upsert("Acme", 1);
            await grains.Connect("ann");
            await Poll.UntilAsync(() => Task.FromResult(first.Attempts(grains.Key("ann")).Count), n => n >= 3, Deadline,
                "a third pass (the second's outcome recorded)");
            await silo.StopAsync();
        }

        var second = new ScriptedConnector();
        await using var next = new AzuriteSilo(settings, With(second));
        await next.StartAsync();
        var again = new TestCompany(next.Grains, company);
        await again.Status("ann"); // wakes it: it goes on polling

        var attempts = await Poll.UntilAsync(() => Task.FromResult(second.Attempts(again.Key("ann"))), a => a.Count > 0, Deadline,
            "a pass on the next silo");
        Assert.Equal(After, attempts[0].Cursors[FolderKeys.Inbox]);
    }

    [Fact]
    public async Task A_pass_whose_credentials_were_replaced_meanwhile_keeps_none_of_its_cursors()
    {
        var connector = new ScriptedConnector();
        await using var silo = new AzuriteSilo(Settings(), With(connector));
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains);
        var key = company.Key("ann");
        // The first pass runs until the reconnect cancels it, and still reports success with a cursor (the worst case).
        connector.Script(key, async (request, cancelled) =>
        {
            if (connector.Attempts(key).Count > 1) return SyncOutcome.Success(0);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancelled).ContinueWith(_ => { }, TaskScheduler.Default);
            return Handing(After);
        });
        await company.Grain.Upsert("Acme", 1);
        await company.Connect("ann");
        await Poll.UntilAsync(() => Task.FromResult(connector.Attempts(key).Count), n => n == 1, Deadline, "the first pass running");

        await company.Connect("ann", "an0ther-Passw0rd"); // the same account: its cursors would be kept

        var attempts = await Poll.UntilAsync(() => Task.FromResult(connector.Attempts(key)), a => a.Count >= 2, Deadline,
            "a pass with the new credentials");
        Assert.Equal("an0ther-Passw0rd", attempts[1].Credentials.Secret);
        Assert.Empty(attempts[1].Cursors);
    }
}

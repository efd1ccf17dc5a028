using MailSync.Grains.Interfaces.Companies;
using MailSync.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MailSync.IntegrationTests.Foundation;

[Trait("Category", "Servers")]
public sealed class AzuriteSiloTests
{
    [Fact]
    public async Task Grain_state_and_reminders_written_before_a_silo_restart_are_read_after_it()
    {
        var settings = AzuriteSilo.NewSettings();
        var companyId = $"co-{Guid.NewGuid():N}";
        var reminderGrain = GrainId.Create("test", companyId);

        await using (var silo = new AzuriteSilo(settings))
        {
            await silo.StartAsync();
            await silo.Grains.GetGrain<ICompanyGrain>(companyId).Upsert("Durable Ltd", 7);
            var reminders = silo.Services.GetRequiredService<IReminderTable>();
            await reminders.UpsertRow(new ReminderEntry
            {
                GrainId = reminderGrain,
                ReminderName = "poll",
                StartAt = DateTime.UtcNow,
                Period = TimeSpan.FromMinutes(5),
            });
        }

        await using (var restarted = new AzuriteSilo(settings))
        {
            await restarted.StartAsync();

            var profile = await restarted.Grains.GetGrain<ICompanyGrain>(companyId).GetProfile();
            var reminder = await restarted.Services.GetRequiredService<IReminderTable>().ReadRow(reminderGrain, "poll");

            Assert.Equal(new CompanyProfile(companyId, "Durable Ltd", 7), profile);
            Assert.NotNull(reminder);
            Assert.Equal(TimeSpan.FromMinutes(5), reminder.Period);
        }
    }
}

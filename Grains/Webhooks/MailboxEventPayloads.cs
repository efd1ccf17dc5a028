using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Storage;

namespace MailSync.Grains.Webhooks;

/// <summary>The <c>data</c> objects of the mailbox events, as JSON, each at most <see cref="MaxDataLength"/> characters.</summary>
public static class MailboxEventPayloads
{
    public const int MaxDataLength = 2048;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Stable per mailbox and event number: every delivery of one event carries the same id.</summary>
    public static string EventId(MailboxKey key, long sequence) => $"evt_{TableKeys.Hash(key.ToString())}_{sequence}";

    public static string StatusChanged(MailboxKey key, MailboxStatus oldStatus, MailboxStatus newStatus, MailboxError? lastError) =>
        Bounded(new { companyId = key.CompanyId, userId = key.UserId, oldStatus, newStatus, lastError = Error(lastError) },
            new { companyId = key.CompanyId, userId = key.UserId, oldStatus, newStatus, lastError = Error(lastError, withDetail: false) });

    public static string ErrorLogged(MailboxKey key, MailboxError entry) =>
        Bounded(new { companyId = key.CompanyId, userId = key.UserId, error = Error(entry) },
            new { companyId = key.CompanyId, userId = key.UserId, error = Error(entry, withDetail: false) });

    public static string MessageAdded(
        MailboxKey key, string leadId, string messageId, string subject, DateTimeOffset date, string direction, string from) =>
        Bounded(new { companyId = key.CompanyId, userId = key.UserId, leadId, message = new { messageId, subject, date, direction, from } },
            new { companyId = key.CompanyId, userId = key.UserId, leadId,
                message = new { messageId = Cut(messageId), subject = Cut(subject), date, direction, from = Cut(from) } });

    /// <summary>The retention removed events the subscription had not received: what to do about it, in words.</summary>
    public static string EventsMissed(string companyId, TimeSpan retention) => JsonSerializer.Serialize(new
    {
        companyId,
        reason = "retention",
        detail = $"Events older than the retention ({retention.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days) "
            + "were removed before this subscription received them. Read the mailboxes' statuses and the leads' timelines "
            + "again through the API; the events after this one follow in order.",
    }, Json);

    private static object? Error(MailboxError? e, bool withDetail = true) => e is null ? null : new
    {
        occurredAt = e.OccurredAt, code = e.Code, message = e.Message, fix = e.Fix, detail = withDetail ? e.Detail : null,
        attempt = e.Attempt,
    };

    /// <summary>The full form, or the shortened one when the full one is over the limit.</summary>
    private static string Bounded(object full, object shortened)
    {
        var json = JsonSerializer.Serialize(full, Json);
        if (json.Length <= MaxDataLength) return json;
        json = JsonSerializer.Serialize(shortened, Json);
        return json.Length <= MaxDataLength
            ? json
            : throw new InvalidOperationException("An event's data exceeds its bound even shortened.");
    }

    private static string Cut(string value) => value.Length <= 200 ? value : value[..200];
}

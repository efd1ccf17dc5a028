namespace MailSync.Api.NeverLog;

/// <summary>An address or a whole domain (which covers its subdomains) whose emails are never recorded.</summary>
public sealed record NeverLogRequest(string? Value);

/// <summary><c>kind</c>: address or domain. <c>value</c> is as stored: lower case, the domain in its ASCII form.</summary>
public sealed record NeverLogItem(string Value, string Kind, DateTimeOffset AddedAt);

/// <summary>
/// A never-log list, and where removing what was already recorded stands: <c>entriesWaiting</c> list entries (the
/// company's and its users') whose removal has not finished, <c>timelineEntriesRemoved</c> emails removed so far.
/// </summary>
public sealed record NeverLogResponse(IReadOnlyList<NeverLogItem> Items, NeverLogRemovalResponse Removal);

public sealed record NeverLogRemovalResponse(int EntriesWaiting, long TimelineEntriesRemoved, DateTimeOffset? FinishedAt);

/// <summary>
/// The company's own domains: an address there is never matched as a lead (colleagues writing to each other) unless
/// <c>logInternalEmails</c> is true. Each syncing mailbox's own domain counts too, unless it is a public mail service's.
/// </summary>
public sealed record InternalMailRequest(IReadOnlyList<string?>? Domains, bool? LogInternalEmails);

public sealed record InternalMailResponse(IReadOnlyList<string> Domains, bool LogInternalEmails);

using MailSync.Grains.Interfaces.NeverLog;

namespace MailSync.Grains.NeverLog;

/// <summary>
/// The company's part of what a batch is recorded under: its list, its internal-mail rule, and its users' lists when they
/// are few enough to hold at once (null: each user's list is read on its own).
/// </summary>
public sealed record NeverLogCompanyRules(IReadOnlyList<string> Values, InternalMail InternalMail, NeverLogUserLists? Users);

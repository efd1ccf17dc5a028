using MailKit.Net.Imap;

namespace MailSync.Grains.Sync;

/// <summary>A server's answer past its <see cref="AnswerBudget"/>: the server's protocol error, for this mailbox alone.</summary>
public sealed class ImapAnswerTooLargeException(string message) : ImapProtocolException(message);

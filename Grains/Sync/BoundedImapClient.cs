using MailKit.Net.Imap;

namespace MailSync.Grains.Sync;

/// <summary>A MailKit client whose every answer is within its <see cref="Answers"/> budget.</summary>
public sealed class BoundedImapClient : ImapClient
{
    public BoundedImapClient() : this(new AnswerBudget())
    {
    }

    private BoundedImapClient(AnswerBudget answers) : base(answers) => Answers = answers;

    public AnswerBudget Answers { get; }
}

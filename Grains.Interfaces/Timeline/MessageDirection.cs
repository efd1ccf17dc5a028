namespace MailSync.Grains.Interfaces.Timeline;

public enum MessageDirection
{
    /// <summary>From the mailbox's own address.</summary>
    Sent,

    Received,
}

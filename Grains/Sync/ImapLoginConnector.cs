using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Mailboxes;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Sync;

/// <summary>
/// The real connector until the sync engine lands: connects, authenticates and opens INBOX with MailKit, so a
/// mailbox's status reflects whether its server and credentials work.
/// </summary>
public sealed class ImapLoginConnector(IOptions<MailSyncOptions> options, ImapSessionLimiter sessions) : IMailboxConnector
{
    public async Task<SyncOutcome> SyncAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        var imap = request.Credentials.Imap;
        if (imap.Security == ImapSecurity.None && !options.Value.AllowInsecureImap)
            return SyncOutcome.Failure(MailboxErrorCode.TlsFailure, "Unencrypted IMAP is not allowed on this service.");

        using var slot = await sessions.AcquireAsync(cancellationToken);
        using var client = new ImapClient { Timeout = (int)options.Value.ImapTimeout.TotalMilliseconds };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.ImapTimeout);
        try
        {
            var socketOptions = imap.Security switch
            {
                ImapSecurity.Ssl => SecureSocketOptions.SslOnConnect,
                ImapSecurity.StartTls => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            };
            await client.ConnectAsync(imap.Host, imap.Port, socketOptions, deadline.Token);
            await client.AuthenticateAsync(request.Credentials.Username, request.Credentials.Secret, deadline.Token);
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly, deadline.Token);
            await client.DisconnectAsync(true, deadline.Token);
            return SyncOutcome.Success(0);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return SyncOutcome.Failure(ImapErrorClassifier.Classify(e), e.Message);
        }
    }
}

namespace MailSync.Grains.Interfaces.Companies;

/// <summary>
/// What Sign in with Google or Microsoft does when the account signed in with is not the CRM user's registered address:
/// connect it only after the user confirms both identities (the default), or refuse it (the company allows registered
/// addresses only).
/// </summary>
public enum OtherMailAccounts
{
    Confirm,
    Refuse,
}

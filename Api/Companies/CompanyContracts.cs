namespace MailSync.Api.Companies;

public sealed record CompanyRequest(string? Name, int? MailboxSyncLimit);

public sealed record CompanyResponse(string CompanyId, string Name, int MailboxSyncLimit);

public sealed record UserRequest(string? Email, string? Role);

public sealed record UserResponse(string UserId, string Email, string Role);

public sealed record BillingUser(string UserId, long BillableSeconds);

public sealed record BillingResponse(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<BillingUser> Users, long TotalBillableSeconds);

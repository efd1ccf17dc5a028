// The happy path of an API consumer, written against the client generated from the API's own OpenAPI document
// (openapi-typescript types + openapi-fetch). The test type-checks it (a renamed operation, a moved path or a changed
// body fails the check) and runs it against the real API; it prints one JSON line of what it saw.
import createClient from "openapi-fetch";
import type { operations, paths } from "./schema.js";

// Every operation a generator names a method after: a missing operationId fails the type check.
const operationIds: (keyof operations)[] = [
  "putCompany", "getMailSyncOverview", "listCompanyUsers", "listCompanyErrors", "putCompanyUser", "getBilling", "getSecretKeys",
  "connectMailbox", "getMailbox", "listMailboxErrors", "syncMailboxNow", "disconnectMailbox", "getGoogleAuthorizeUrl",
  "putLead", "upsertLeads", "deleteLead", "listLeadEmails", "completeGoogleSignIn",
  "listWebhooks", "putWebhook", "getWebhook", "deleteWebhook", "listWebhookDeliveries", "listMailSyncChanges",
];

// Node's environment, without installing Node's type definitions for this one object.
declare const process: { env: Record<string, string | undefined> };

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const baseUrl = env("MAILSYNC_BASE_URL");
const companyId = env("MAILSYNC_COMPANY");
const userId = env("MAILSYNC_USER");
const operator = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${env("MAILSYNC_OPERATOR_TOKEN")}` } });
const admin = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${env("MAILSYNC_ADMIN_TOKEN")}` } });
const user = { companyId, userId };

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 30 s; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const company = await operator.PUT("/v1/companies/{companyId}", {
  params: { path: { companyId } },
  body: { name: "Acme", mailboxSyncLimit: 2 },
});
const registered = await admin.PUT("/v1/companies/{companyId}/users/{userId}", {
  params: { path: user },
  body: { email: env("MAILSYNC_EMAIL"), role: "Administrator" },
});
const lead = await admin.PUT("/v1/companies/{companyId}/leads/{leadId}", {
  params: { path: { companyId, leadId: "lee" } },
  body: { email: "lee@lead.example", name: "Lee" },
});
const connect = await admin.POST("/v1/companies/{companyId}/users/{userId}/mailbox", {
  params: { path: user },
  body: {
    provider: "custom",
    email: env("MAILSYNC_EMAIL"),
    username: env("MAILSYNC_IMAP_USER"),
    password: env("MAILSYNC_IMAP_PASSWORD"),
    imap: { host: "127.0.0.1", port: Number(env("MAILSYNC_IMAP_PORT")), security: "ssl" },
  },
});
const synced = await until("the first sync", async () => (await admin.GET("/v1/companies/{companyId}/users/{userId}/mailbox", { params: { path: user } })).data,
  (mailbox) => mailbox?.status === "Enabled" && mailbox.lastSyncAt != null);
const timeline = await until("the email on the lead's timeline", async () =>
  (await admin.GET("/v1/companies/{companyId}/leads/{leadId}/emails", { params: { path: { companyId, leadId: "lee" }, query: { limit: "10" } } })).data,
  (page) => (page?.items.length ?? 0) > 0);
const errors = await admin.GET("/v1/companies/{companyId}/users/{userId}/mailbox/errors", { params: { path: user } });
const overview = await admin.GET("/v1/companies/{companyId}/mail-sync", { params: { path: { companyId } } });
const companyErrors = await admin.GET("/v1/companies/{companyId}/mail-sync/errors", { params: { path: { companyId } } });
const syncNow = await admin.POST("/v1/companies/{companyId}/users/{userId}/mailbox/sync", { params: { path: user } });
const disconnect = await admin.DELETE("/v1/companies/{companyId}/users/{userId}/mailbox", {
  params: { path: user, query: { keepHistory: "true" } },
});

console.log(JSON.stringify({
  operations: operationIds.length,
  company: company.response.status,
  user: registered.response.status,
  lead: lead.response.status,
  connect: connect.response.status,
  connectStatus: connect.data?.status,
  status: synced?.status,
  messagesSynced: synced?.messagesSynced,
  timelineSubject: timeline?.items[0]?.subject,
  mailboxErrors: errors.data?.items.length,
  seatsUsed: overview.data?.seatsUsed,
  companyErrors: companyErrors.data?.items.length,
  syncNow: syncNow.response.status,
  disconnect: disconnect.response.status,
}));

import { readJson, withSecretKey } from "@/lib/api/handler";
import { findContactByRef } from "@/lib/contacts/manage";
import { issueInboxToken } from "@/lib/messages/inbox";
import { inboxTokenBodySchema } from "@/lib/validation/inbox";

// POST /api/v1/contacts/:id/inbox-token: a signed user token for the contact's inbox, for the
// app's server to hand to its front-end. `?external_id=` names the contact by the app's user id.
export const POST = withSecretKey(async (request, { db, workspace, params }) => {
  const externalId = request.nextUrl.searchParams.get("external_id");
  const ref = externalId !== null ? `external_id:${externalId}` : String(params.id);
  // The body is optional (`curl -X POST` with none is fine); the caller already proved its key.
  const empty = request.body === null || !(await request.clone().text()).trim();
  const body = inboxTokenBodySchema.parse(empty ? {} : await readJson(request, 16 * 1024));
  const contact = await findContactByRef(db, workspace.id, ref);
  const { token, expiresAt } = await issueInboxToken(db, { workspaceId: workspace.id, contactId: contact.id, expiresInSeconds: body.expires_in });
  return { token, expires_at: expiresAt.toISOString(), contact_id: contact.id };
});

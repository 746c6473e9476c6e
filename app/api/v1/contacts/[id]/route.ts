import { eraseContact } from "@/db/queries/contacts";
import { readJson, withSecretKey } from "@/lib/api/handler";
import { contactDetail, findContactByRef, replaceContact, updateContact } from "@/lib/contacts/manage";
import { contactBodySchema, contactPatchSchema } from "@/lib/validation/contacts";

// `:id` is a contact id, `external_id:<value>` or `email:<address>` (URL-encoded).

// GET /api/v1/contacts/:id: the contact, its identities and its company
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  const contact = await findContactByRef(db, workspace.id, String(params.id));
  return contactDetail(db, workspace.id, contact);
});

// PATCH /api/v1/contacts/:id: change some fields; attributes merge, tags replace or add/remove
export const PATCH = withSecretKey(async (request, { db, workspace, params }) => {
  const patch = contactPatchSchema.parse(await readJson(request));
  const contact = await findContactByRef(db, workspace.id, String(params.id));
  return contactDetail(db, workspace.id, await updateContact(db, workspace.id, contact.id, patch));
});

// PUT /api/v1/contacts/:id: replace the whole contact
export const PUT = withSecretKey(async (request, { db, workspace, params }) => {
  const body = contactBodySchema.parse(await readJson(request));
  const contact = await findContactByRef(db, workspace.id, String(params.id));
  return contactDetail(db, workspace.id, await replaceContact(db, workspace.id, contact.id, body));
});

// DELETE /api/v1/contacts/:id: erase the contact, its events and its identities
export const DELETE = withSecretKey(async (_request, { db, workspace, params }) => {
  const contact = await findContactByRef(db, workspace.id, String(params.id));
  await eraseContact(db, workspace.id, contact.id);
  return { deleted: true, id: contact.id };
});

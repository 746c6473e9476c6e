import { withSecretKey } from "@/lib/api/handler";
import { exportContact, findContactByRef } from "@/lib/contacts/manage";

// GET /api/v1/contacts/:id/export: everything stored about the contact, events included
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  const contact = await findContactByRef(db, workspace.id, String(params.id));
  const document = await exportContact(db, workspace.id, contact.id);
  return Response.json(document, {
    headers: { "content-disposition": `attachment; filename="contact-${contact.id}.json"` },
  });
});

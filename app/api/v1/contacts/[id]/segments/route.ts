import { withSecretKey } from "@/lib/api/handler";
import { findContactByRef } from "@/lib/contacts/manage";
import { contactSegments } from "@/lib/segments/manage";

// GET /api/v1/contacts/:id/segments: the segments the contact is in now, and the ones it left
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  const contact = await findContactByRef(db, workspace.id, String(params.id));
  const rows = await contactSegments(db, workspace.id, contact.id);
  return {
    data: rows.map((row) => ({
      segment_id: row.segment_id,
      name: row.name,
      kind: row.kind,
      member: row.exited_at === null,
      entered_at: new Date(row.entered_at).toISOString(),
      exited_at: row.exited_at ? new Date(row.exited_at).toISOString() : null,
    })),
  };
});

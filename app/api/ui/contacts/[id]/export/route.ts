import { z } from "zod";
import { withSession } from "@/lib/api/handler";
import { exportContact } from "@/lib/contacts/manage";
import { AppError } from "@/lib/errors";

// GET /api/ui/contacts/:id/export?workspace=ID: the profile's "Export JSON" download
export const GET = withSession("viewer", async (_request, { db, workspace, params }) => {
  const contactId = z.uuid().safeParse(params.id);
  if (!contactId.success) throw new AppError("not_found", "No such contact.");
  const document = await exportContact(db, workspace.id, contactId.data);
  return Response.json(document, {
    headers: {
      "content-disposition": `attachment; filename="contact-${contactId.data}.json"`,
      "cache-control": "no-store",
    },
  });
});

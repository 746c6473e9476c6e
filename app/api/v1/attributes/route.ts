import { withSecretKey } from "@/lib/api/handler";
import { attributeJson, listAttributes } from "@/lib/contacts/attribute-catalogue";

// GET /api/v1/attributes: every attribute key seen or declared, with its type
export const GET = withSecretKey(async (_request, { db, workspace }) => ({
  data: (await listAttributes(db, workspace.id)).map(attributeJson),
}));

import { readJson, withSecretKey } from "@/lib/api/handler";
import { attributeJson, declareAttribute, findAttribute } from "@/lib/contacts/attribute-catalogue";
import { AppError } from "@/lib/errors";
import { attributeDeclarationSchema, attributeKey } from "@/lib/validation/contacts";

// GET /api/v1/attributes/:key: one attribute
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  const key = attributeKey.parse(String(params.key));
  const definition = await findAttribute(db, workspace.id, key);
  if (!definition) throw new AppError("not_found", `No attribute ${JSON.stringify(key)} in this workspace.`);
  return attributeJson(definition);
});

// PATCH /api/v1/attributes/:key: declare its type (refused while stored values do not fit) and label
export const PATCH = withSecretKey(async (request, { db, workspace, params }) => {
  const key = attributeKey.parse(String(params.key));
  const body = attributeDeclarationSchema.parse(await readJson(request));
  return attributeJson(await declareAttribute(db, { workspaceId: workspace.id, key, ...body }));
});

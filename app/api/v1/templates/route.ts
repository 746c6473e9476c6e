import { readJson, withSecretKey } from "@/lib/api/handler";
import { createTemplate, listTemplates, templateJson } from "@/lib/messages/templates";
import { templateCreateSchema, templateListQuerySchema } from "@/lib/validation/templates";

// GET /api/v1/templates: the workspace's templates, recently changed first (?channel=, ?archived=true)
export const GET = withSecretKey(async (request, { db, workspace }) => {
  const query = templateListQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  const rows = await listTemplates(db, workspace.id, { channel: query.channel, archived: query.archived === "true" });
  return { data: rows.map((template) => templateJson(template)) };
});

// POST /api/v1/templates: create a template and its version 1 (layout rendered once)
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const body = templateCreateSchema.parse(await readJson(request, 2 * 1024 * 1024));
  const { template, version } = await createTemplate(db, workspace.id, body);
  return Response.json(templateJson(template, version), { status: 201 });
});

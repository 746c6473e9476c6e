import { readJson, withSecretKey } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { archiveTemplate, getTemplateVersion, templateJson, updateTemplate } from "@/lib/messages/templates";
import { templatePatchSchema } from "@/lib/validation/templates";

// GET /api/v1/templates/:id: the template with its current version (?version=N for another)
export const GET = withSecretKey(async (request, { db, workspace, params }) => {
  const asked = request.nextUrl.searchParams.get("version");
  const number = asked === null ? undefined : Number(asked);
  if (number !== undefined && !(Number.isInteger(number) && number > 0)) throw new AppError("validation_failed", "version must be a positive whole number.", [{ path: "version", message: "Not a version number." }]);
  const found = await getTemplateVersion(db, workspace.id, String(params.id), number);
  if (!found) throw new AppError("not_found", number ? `No version ${number} of this template.` : "No such template.");
  return templateJson(found.template, found.version);
});

// PATCH /api/v1/templates/:id: rename, kind, topic in place; subject, from, content… make a new version
export const PATCH = withSecretKey(async (request, { db, workspace, params }) => {
  const patch = templatePatchSchema.parse(await readJson(request, 2 * 1024 * 1024));
  await updateTemplate(db, workspace.id, String(params.id), patch);
  const found = await getTemplateVersion(db, workspace.id, String(params.id));
  return templateJson(found!.template, found!.version);
});

// DELETE /api/v1/templates/:id: archive it (messages sent from it keep their history)
export const DELETE = withSecretKey(async (_request, { db, workspace, params }) => {
  const template = await archiveTemplate(db, workspace.id, String(params.id));
  return { archived: true, id: template.id };
});

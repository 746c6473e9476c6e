import { z } from "zod";
import { withSession } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { appendPart } from "@/lib/imports/upload";

const partQuery = z.object({
  offset: z.coerce.number().int().min(0),
  last: z.enum(["0", "1"]).default("0"),
});

// POST /api/ui/imports/:id/parts?workspace=ID&offset=N&last=0|1: the file's bytes from offset N,
// streamed into storage (the body is never held whole); last=1 ends the upload
export const POST = withSession("marketer", async (request, { db, workspace, params }) => {
  const importId = z.uuid().safeParse(params.id);
  if (!importId.success) throw new AppError("not_found", "No such import.");
  const query = partQuery.parse(Object.fromEntries(request.nextUrl.searchParams));
  const updated = await appendPart(db, {
    workspaceId: workspace.id,
    importId: importId.data,
    offset: query.offset,
    last: query.last === "1",
    body: request.body,
  });
  return { id: updated.id, status: updated.status, uploadedBytes: updated.uploadedBytes };
});

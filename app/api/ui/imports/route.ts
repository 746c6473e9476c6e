import { z } from "zod";
import { readJson, withSession } from "@/lib/api/handler";
import { createImport } from "@/lib/imports/upload";

const createSchema = z.object({
  fileName: z.string().trim().min(1).max(255),
  size: z.number().int().min(0),
});

// POST /api/ui/imports?workspace=ID: announce a CSV upload ({ fileName, size }); 413 when too large
export const POST = withSession("marketer", async (request, { db, workspace, user }) => {
  const body = createSchema.parse(await readJson(request, 16 * 1024));
  const created = await createImport(db, { workspaceId: workspace.id, userId: user.id, fileName: body.fileName, sizeBytes: body.size });
  return Response.json({ id: created.id }, { status: 201 });
});

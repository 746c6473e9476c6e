import { readJson, withSecretKey } from "@/lib/api/handler";
import { previewRule } from "@/lib/segments/manage";
import { segmentPreviewSchema } from "@/lib/validation/segments";

// POST /api/v1/segments/preview: how many contacts a rule selects now, and a sample, without saving
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const { rule } = segmentPreviewSchema.parse(await readJson(request));
  const { count, sample } = await previewRule(db, workspace.id, rule);
  return { count, sample };
});

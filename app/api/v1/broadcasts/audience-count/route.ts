import { readJson, withSecretKey } from "@/lib/api/handler";
import { audienceCountSchema, checkAudience } from "@/lib/broadcasts/api";
import { countAudience } from "@/lib/broadcasts/fanout";

// POST /api/v1/broadcasts/audience-count: how many contacts an audience holds now (the live estimate), without saving
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const { audience } = audienceCountSchema.parse(await readJson(request, 64 * 1024));
  await checkAudience(db, workspace.id, audience);
  return { count: await countAudience(db, workspace.id, audience) };
});

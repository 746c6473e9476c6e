import { withSecretKey } from "@/lib/api/handler";
import { findContactByRef } from "@/lib/contacts/manage";
import { contactPointsJson } from "@/lib/rewards/api";
import { contactPoints, rewardSettingsOf } from "@/lib/rewards/points";
import { contactPointsQuerySchema } from "@/lib/validation/rewards";

// GET /api/v1/contacts/:id/points: the balance (earned, spent, expired, expiring) and the newest transactions, paged with `before`
export const GET = withSecretKey(async (request, { db, workspace, params }) => {
  const query = contactPointsQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  const contact = await findContactByRef(db, workspace.id, String(params.id));
  const points = await contactPoints(db, workspace.id, contact.id, { limit: query.limit, before: query.before });
  return contactPointsJson(contact.id, (await rewardSettingsOf(db, workspace.id)).pointsName, points);
});

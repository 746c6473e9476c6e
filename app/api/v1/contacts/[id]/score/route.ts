import { withSecretKey } from "@/lib/api/handler";
import { findContactByRef } from "@/lib/contacts/manage";
import { contactScoreJson } from "@/lib/scoring/api";
import { scoreHistoryQuery } from "@/lib/scoring/schema";
import { contactScore } from "@/lib/scoring/views";

// GET /api/v1/contacts/:id/score: the contact's score, its fit and engagement parts, lifecycle stage and score history (newest first)
export const GET = withSecretKey(async (request, { db, workspace, params }) => {
  const { limit } = scoreHistoryQuery.parse(Object.fromEntries(request.nextUrl.searchParams));
  const contact = await findContactByRef(db, workspace.id, String(params.id));
  return contactScoreJson(await contactScore(db, workspace.id, contact.id, limit));
});

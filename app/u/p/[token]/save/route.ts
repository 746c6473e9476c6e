import { getDb } from "@/db/client";
import { linkSubject, savePreferences } from "@/lib/messages/unsubscribe";
import { noticePage } from "@/components/preferences/notice-page";

// POST /u/p/<token>/save: the preference centre's plain form (works without JavaScript);
// answers with a redirect back to the page, which then shows the confirmation.
export async function POST(request: Request, route: { params: Promise<{ token: string }> }) {
  const { token } = await route.params;
  const db = await getDb();
  const subject = await linkSubject(db, token, "p");
  if (!subject) return noticePage(request, 400, "linkInvalidTitle", "linkInvalidBody");
  let form: URLSearchParams;
  try {
    form = new URLSearchParams(await request.text());
  } catch {
    return noticePage(request, 400, "linkInvalidTitle", "linkInvalidBody");
  }
  const saved = await savePreferences(db, subject, {
    subscribedTopicIds: form.getAll("topic"),
    unsubscribeAll: form.get("all") === "on",
  });
  if (!saved) return noticePage(request, 404, "linkInvalidTitle", "linkInvalidBody");
  return new Response(null, { status: 303, headers: { location: `/u/p/${token}?saved=1`, "cache-control": "no-store" } });
}

import { getDb } from "@/db/client";
import { linkSubject, unsubscribeAll } from "@/lib/messages/unsubscribe";
import { noticePage } from "@/components/preferences/notice-page";

// The List-Unsubscribe URL (RFC 8058). No cookie, session or CSRF token: the signed token in
// the path is the authority, and it can only unsubscribe the contact it names.

// GET /u/<token>: mail scanners prefetch links, so a GET never unsubscribes; it shows the confirmation page
export async function GET(_request: Request, route: { params: Promise<{ token: string }> }) {
  const { token } = await route.params;
  return new Response(null, { status: 303, headers: { location: `/u/${token}/confirm`, "cache-control": "no-store" } });
}

// POST /u/<token>: one-click unsubscribe (body `List-Unsubscribe=One-Click` from mail clients, or the confirmation page's button)
export async function POST(request: Request, route: { params: Promise<{ token: string }> }) {
  const { token } = await route.params;
  const db = await getDb();
  const subject = await linkSubject(db, token, "u");
  if (!subject) return noticePage(request, 400, "linkInvalidTitle", "linkInvalidBody");
  let fromPage = false;
  try {
    fromPage = new URLSearchParams(await request.text()).get("via") === "page";
  } catch {
    // any body (or none) is a one-click unsubscribe
  }
  const done = await unsubscribeAll(db, subject, "one_click");
  if (!done) return noticePage(request, 404, "linkInvalidTitle", "linkInvalidBody");
  if (fromPage) return new Response(null, { status: 303, headers: { location: `/u/${token}/confirm?done=1` } });
  return noticePage(request, 200, "unsubscribedTitle", "unsubscribedBody");
}

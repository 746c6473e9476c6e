import { getDb } from "@/db/client";
import { clientIp } from "@/lib/messages/bots";
import { recordClick } from "@/lib/messages/tracking";
import { noticePage } from "@/components/preferences/notice-page";

async function click(request: Request, route: { params: Promise<{ token: string }> }) {
  const { token } = await route.params;
  const outcome = await recordClick(await getDb(), token, {
    method: request.method,
    userAgent: request.headers.get("user-agent"),
    ip: clientIp(request.headers),
  });
  // Only a link stored with the message is ever a destination: no open redirect.
  if (!outcome.ok) return noticePage(request, 400, "linkInvalidTitle", "linkInvalidBody");
  return new Response(null, { status: 302, headers: { location: outcome.url, "cache-control": "no-store", "referrer-policy": "no-referrer" } });
}

// GET /t/c/<token>: a tracked click, answered with a 302 to the link the message held
export const GET = click;

// HEAD /t/c/<token>: link scanners check links with HEAD; recorded as a machine's click
export const HEAD = click;

import { getDb } from "@/db/client";
import { clientIp } from "@/lib/messages/bots";
import { recordOpen } from "@/lib/messages/tracking";
import { pixelResponse } from "@/lib/tracking/pixel";

async function open(request: Request, route: { params: Promise<{ token: string }> }) {
  const { token } = await route.params;
  try {
    await recordOpen(await getDb(), token.replace(/\.gif$/i, ""), {
      method: request.method,
      userAgent: request.headers.get("user-agent"),
      ip: clientIp(request.headers),
    });
  } catch (error) {
    console.error("[open]", error);
  }
  // Always the image: a mail client never shows a broken one, whatever the token.
  return pixelResponse({ status: 200, stored: true });
}

// GET /t/o/<token>.gif: an email open (docs/email-tracking.md)
export const GET = open;

// HEAD /t/o/<token>.gif: recorded as a machine's (nothing opens a mail with HEAD)
export const HEAD = open;

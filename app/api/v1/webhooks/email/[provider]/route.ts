import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { authenticateApiKey, touchApiKey } from "@/db/queries/api-keys";
import { readJson } from "@/lib/api/handler";
import { errorResponse } from "@/lib/api/errors";
import { AppError } from "@/lib/errors";
import { feedbackParsers, recordFeedback } from "@/lib/messages/feedback";

// A secret key as Bearer, or as the Basic auth password (any user): Amazon SNS can only carry
// credentials in the endpoint URL, https://x:sk_…@host/api/v1/webhooks/email/ses.
function secretKeyFrom(request: NextRequest): string | undefined {
  const header = request.headers.get("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon >= 0 ? decoded.slice(colon + 1) || undefined : undefined;
}

// POST /api/v1/webhooks/email/:provider: bounce, complaint and delivery notifications (generic, ses)
export async function POST(request: NextRequest, route: { params: Promise<{ provider: string }> }) {
  try {
    const { provider } = await route.params;
    const parse = Object.hasOwn(feedbackParsers, provider) ? feedbackParsers[provider] : undefined;
    if (!parse) throw new AppError("not_found", `Unknown email provider ${JSON.stringify(provider)}; use generic or ses.`);
    const token = secretKeyFrom(request);
    if (!token) throw new AppError("unauthorized", "Send a secret key as `Authorization: Bearer sk_…` or as the Basic auth password.");
    const db = await getDb();
    const found = await authenticateApiKey(db, { token, kind: "secret" });
    if (!found) throw new AppError("unauthorized", "Unknown secret key.");
    if (found.key.revokedAt) throw new AppError("unauthorized", "This secret key was revoked.");
    await touchApiKey(db, found.key);

    const parsed = parse(await readJson(request));
    if (parsed.subscribeUrl) {
      // This host may not reach AWS, so the subscription is confirmed by whoever reads this.
      console.warn(`[email feedback] SNS subscription for workspace ${found.workspace.slug}: open ${parsed.subscribeUrl} to confirm it.`);
      return Response.json({ success: true, subscription: "pending_confirmation", subscribe_url: parsed.subscribeUrl });
    }
    const results = await recordFeedback(db, found.workspace.id, parsed.notices);
    const count = (outcome: string) => results.filter((result) => result.outcome === outcome).length;
    return Response.json({
      success: true,
      received: results.length,
      recorded: count("recorded"),
      duplicates: count("duplicate"),
      unmatched: count("unmatched"),
      ignored: parsed.ignored,
      results,
    });
  } catch (error) {
    const response = errorResponse(error);
    // SNS first posts without credentials and sends them only when challenged.
    if (response.status === 401) response.headers.set("www-authenticate", 'Basic realm="Tideline email feedback"');
    return response;
  }
}

import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { topicSubscriptions, type Channel, type MessageKind } from "@/db/schema";
import { consentFor, unsubscribeSources } from "./consent";
import { findSuppression } from "./suppressions";
import { getTopic } from "./topics";

export type Eligibility = { ok: true } | { ok: false; reason: string };

/**
 * The send-time checks of the suppression list, consent and topic. Transactional mail (a
 * receipt, a password reset) only honours the suppression list, and of it only bounces,
 * complaints and manual entries (not the person's own unsubscribe). Reasons are short codes:
 * suppressed:<reason>, no_consent, unsubscribed_all, unsubscribed_topic.
 */
export async function checkEligibility(
  db: Db,
  input: { workspaceId: string; contactId: string | null; channel: Channel; kind: MessageKind; topicId: string | null; address: string },
): Promise<Eligibility> {
  const suppression = await findSuppression(db, { workspaceId: input.workspaceId, channel: input.channel, address: input.address });
  // An unsubscribe is from marketing: a receipt or a password reset still reaches the person.
  // Bounces, complaints and addresses an admin suppressed stop everything.
  if (suppression && !(input.kind === "transactional" && suppression.reason === "unsubscribed")) {
    return { ok: false, reason: `suppressed:${suppression.reason}` };
  }
  if (input.kind === "transactional" || !input.contactId) return { ok: true };

  const consent = await consentFor(db, { workspaceId: input.workspaceId, contactId: input.contactId, channel: input.channel });
  if (consent?.status === "revoked") return { ok: false, reason: unsubscribeSources.includes(consent.source) ? "unsubscribed_all" : "no_consent" };

  if (input.topicId) {
    const topic = await getTopic(db, input.workspaceId, input.topicId);
    // A deleted topic's sends fall back to the general list, which consent already covers.
    if (topic) {
      const [choice] = await db
        .select({ subscribed: topicSubscriptions.subscribed })
        .from(topicSubscriptions)
        .where(
          and(
            eq(topicSubscriptions.workspaceId, input.workspaceId),
            eq(topicSubscriptions.contactId, input.contactId),
            eq(topicSubscriptions.topicId, topic.id),
          ),
        );
      if (!(choice?.subscribed ?? topic.defaultSubscribed)) return { ok: false, reason: "unsubscribed_topic" };
    }
  }
  return { ok: true };
}

export { suppressAddress } from "./suppressions";

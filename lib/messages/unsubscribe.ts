import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { contacts, messageEvents, messages, workspaces, type Channel, type Contact, type Message } from "@/db/schema";
import { consentFor, setConsent } from "./consent";
import { localeFromAcceptLanguage } from "@/lib/i18n/locales";
import { signToken, verifyToken } from "./secrets";
import { findSuppression, removeSuppression, suppressAddress } from "./suppressions";
import { setTopicSubscription, topicChoices, type TopicChoice } from "./topics";

// One-click unsubscribe (RFC 8058) and the hosted preference centre. Both links carry a
// signed token naming (workspace, contact, message): whoever holds the link may change that
// contact's choices, nothing else, and no one can make a link for another contact.

interface LinkToken {
  /** u: one-click unsubscribe, p: preference centre. */
  t: "u" | "p";
  w: string;
  c: string;
  m: string;
}

export interface LinkSubject {
  workspaceId: string;
  contactId: string;
  messageId: string;
}

/** The address the one-click mailto points at (UNSUBSCRIBE_MAILTO), if the instance has one. */
export function unsubscribeMailbox(): string | undefined {
  return process.env.UNSUBSCRIBE_MAILTO?.trim() || undefined;
}

export async function unsubscribeLinks(
  db: Db,
  input: { workspaceId: string; contactId: string; messageId: string; origin: string },
): Promise<{ oneClick: string; preferences: string; mailto?: string }> {
  const origin = input.origin.replace(/\/+$/, "");
  const subject = { w: input.workspaceId, c: input.contactId, m: input.messageId };
  const oneClickToken = await signToken(db, { t: "u", ...subject } satisfies LinkToken);
  const preferencesToken = await signToken(db, { t: "p", ...subject } satisfies LinkToken);
  const mailbox = unsubscribeMailbox();
  return {
    oneClick: `${origin}/u/${oneClickToken}`,
    preferences: `${origin}/u/p/${preferencesToken}`,
    // The subject carries the token, so whoever reads that mailbox can act on it.
    ...(mailbox ? { mailto: `mailto:${mailbox}?subject=${encodeURIComponent(`unsubscribe ${oneClickToken}`)}` } : {}),
  };
}

/** RFC 2369 / RFC 8058 headers: mailto first (when there is one), then the one-click https URL. */
export function listUnsubscribeHeaders(links: { oneClick: string; mailto?: string }): Record<string, string> {
  const targets = [links.mailto, links.oneClick].filter(Boolean).map((target) => `<${target}>`);
  return { "List-Unsubscribe": targets.join(", "), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

/** Whom a link names, or undefined for a token this instance did not sign (or of another kind). */
export async function linkSubject(db: Db, token: string, kind: "u" | "p"): Promise<LinkSubject | undefined> {
  const payload = await verifyToken<LinkToken>(db, token);
  if (!payload || payload.t !== kind || typeof payload.w !== "string" || typeof payload.c !== "string" || typeof payload.m !== "string") return undefined;
  return { workspaceId: payload.w, contactId: payload.c, messageId: payload.m };
}

async function load(db: Db, subject: LinkSubject): Promise<{ contact: Contact; message?: Message; workspaceName: string } | undefined> {
  const [contact] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, subject.workspaceId), eq(contacts.id, subject.contactId)));
  if (!contact) return undefined;
  const [message] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, subject.workspaceId), eq(messages.id, subject.messageId)));
  const [workspace] = await db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, subject.workspaceId));
  return { contact, message, workspaceName: workspace?.name ?? "" };
}

function channelOf(message: Message | undefined): Channel {
  return message?.channel === "sms" ? "sms" : "email";
}

/** The addresses the choice applies to: the one the message went to and the contact's current one. */
function addressesOf(channel: Channel, contact: Contact, message: Message | undefined): string[] {
  const current = channel === "sms" ? contact.phone : contact.email;
  return [...new Set([message?.toAddress, current].filter((value): value is string => Boolean(value)))];
}

async function recordUnsubscribed(db: Db, message: Message | undefined, source: string) {
  if (!message) return;
  // One "unsubscribed" entry per message, however often the link is used.
  const [existing] = await queryRows<{ id: number }>(
    db,
    sql`select id from message_events where workspace_id = ${message.workspaceId} and message_id = ${message.id} and type = 'unsubscribed' limit 1`,
  );
  if (existing) return;
  await db.insert(messageEvents).values({ workspaceId: message.workspaceId, messageId: message.id, type: "unsubscribed", details: { source } });
}

/** Unsubscribes the contact from all marketing on the channel at once: consent revoked, address suppressed. */
/** A "send test to me" reached a team member: its links show the pages but change nothing about the contact. */
const isTestSend = (message: Message | undefined) => message?.source === "test";

export async function unsubscribeAll(db: Db, subject: LinkSubject, source: "one_click" | "preference_centre" | "mailto"): Promise<boolean> {
  return db.transaction(async (tx) => {
    const found = await load(tx, subject);
    if (!found) return false;
    if (isTestSend(found.message)) return true;
    const channel = channelOf(found.message);
    await setConsent(tx, { workspaceId: subject.workspaceId, contactId: subject.contactId, channel, status: "revoked", source });
    for (const address of addressesOf(channel, found.contact, found.message)) {
      await suppressAddress(tx, {
        workspaceId: subject.workspaceId,
        channel,
        address,
        reason: "unsubscribed",
        details: `${source === "one_click" ? "One-click unsubscribe" : source === "mailto" ? "Unsubscribe by email" : "Preference centre"} (message ${subject.messageId})`,
      });
    }
    await recordUnsubscribed(tx, found.message, source);
    return true;
  });
}

export interface PreferenceCentre {
  workspaceName: string;
  /** The address, partly masked (the link may have been forwarded). */
  maskedAddress: string | null;
  locale: string | null;
  topics: TopicChoice[];
  unsubscribedAll: boolean;
  /** The link came in a test send: saving changes nothing. */
  test: boolean;
}

export function maskAddress(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return address.length > 4 ? `${"•".repeat(address.length - 4)}${address.slice(-4)}` : address;
  const local = address.slice(0, at);
  return `${local[0]}${"•".repeat(Math.max(local.length - 1, 2))}${address.slice(at)}`;
}

/** What the preference centre shows for a link. */
export async function preferenceCentre(db: Db, subject: LinkSubject): Promise<PreferenceCentre | undefined> {
  const found = await load(db, subject);
  if (!found) return undefined;
  const channel = channelOf(found.message);
  const address = addressesOf(channel, found.contact, found.message)[0] ?? null;
  const consent = await consentFor(db, { workspaceId: subject.workspaceId, contactId: subject.contactId, channel });
  const suppression = address ? await findSuppression(db, { workspaceId: subject.workspaceId, channel, address }) : undefined;
  return {
    workspaceName: found.workspaceName,
    maskedAddress: address ? maskAddress(address) : null,
    locale: found.contact.locale,
    topics: await topicChoices(db, subject.workspaceId, subject.contactId),
    unsubscribedAll: consent?.status === "revoked" || suppression?.reason === "unsubscribed",
    test: isTestSend(found.message),
  };
}

/**
 * Saves the preference centre form: the topics ticked, or unsubscribe from all. Staying
 * subscribed after having left lifts the contact's own unsubscribe (never a bounce, a
 * complaint or an address an admin suppressed).
 */
export async function savePreferences(db: Db, subject: LinkSubject, choice: { subscribedTopicIds: string[]; unsubscribeAll: boolean }): Promise<boolean> {
  if (choice.unsubscribeAll) return unsubscribeAll(db, subject, "preference_centre");
  return db.transaction(async (tx) => {
    const found = await load(tx, subject);
    if (!found) return false;
    if (isTestSend(found.message)) return true;
    const channel = channelOf(found.message);
    const ticked = new Set(choice.subscribedTopicIds);
    for (const { topic, subscribed, chosen } of await topicChoices(tx, subject.workspaceId, subject.contactId)) {
      const now = ticked.has(topic.id);
      if (chosen || now !== subscribed) {
        await setTopicSubscription(tx, { workspaceId: subject.workspaceId, contactId: subject.contactId, topicId: topic.id, subscribed: now, source: "preference_centre" });
      }
    }
    const consent = await consentFor(tx, { workspaceId: subject.workspaceId, contactId: subject.contactId, channel });
    // The person asked for mail again, in their own words: that is consent.
    if (consent?.status === "revoked") {
      await setConsent(tx, { workspaceId: subject.workspaceId, contactId: subject.contactId, channel, status: "granted", source: "preference_centre" });
    }
    for (const address of addressesOf(channel, found.contact, found.message)) {
      await removeSuppression(tx, { workspaceId: subject.workspaceId, channel, address, onlyReason: "unsubscribed" });
    }
    return true;
  });
}

/** The recipient's language: their contact locale when it is one we speak, else the browser's. */
export function recipientLocale(contactLocale: string | null | undefined, acceptLanguage: string | null): "en" | "zh-CN" {
  const tag = contactLocale?.trim().toLowerCase().replace("_", "-");
  if (tag?.startsWith("zh")) return "zh-CN";
  if (tag?.startsWith("en")) return "en";
  return localeFromAcceptLanguage(acceptLanguage);
}

import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { events, messageContents, messageEvents, messages, type Message } from "@/db/schema";
import { refreshContacts } from "@/lib/segments/membership";
import { botReason, burstWindowSeconds, type BotReason } from "./bots";
import { signToken, verifyToken } from "./secrets";

// Open pixel and click redirects. A token names (workspace, message[, link index]) and is
// HMAC-signed, so a click can only ever lead to a link that was in the message as sent
// (message_contents.links): no open redirect. docs/email-tracking.md has the whole story.

interface OpenToken {
  t: "o";
  w: string;
  m: string;
}
interface ClickToken {
  t: "c";
  w: string;
  m: string;
  i: number;
}

export type Utm = { source?: string; medium?: string; campaign?: string };

const decodeEntities = (value: string) =>
  value
    .replace(/&amp;|&#0*38;|&#x0*26;/gi, "&")
    .replace(/&quot;|&#0*34;|&#x0*22;/gi, '"')
    .replace(/&#0*39;|&#x0*27;|&apos;/gi, "'");

/** The link with utm_* added where the campaign is configured and the link has none of its own. */
export function withUtm(href: string, utm: Utm | undefined): string {
  if (!utm || !Object.values(utm).some(Boolean)) return href;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  let changed = false;
  for (const key of ["source", "medium", "campaign"] as const) {
    const value = utm[key];
    if (value && !url.searchParams.has(`utm_${key}`)) {
      url.searchParams.append(`utm_${key}`, value);
      changed = true;
    }
  }
  return changed ? url.toString() : href;
}

export function openPixelTag(origin: string, token: string): string {
  return `<img src="${origin}/t/o/${token}.gif" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px" />`;
}

/** Rewrites <a href> to signed click links and adds the open pixel; returns the links by index. */
export async function trackLinks(
  db: Db,
  input: { workspaceId: string; messageId: string; html: string; origin: string; trackOpens: boolean; trackClicks: boolean; utm?: Utm },
): Promise<{ html: string; links: string[] }> {
  const origin = input.origin.replace(/\/+$/, "");
  const links: string[] = [];
  let html = input.html;
  if (input.trackClicks) {
    const anchors = [...html.matchAll(/<a\b[^>]*>/gi)];
    const replacements: Array<{ start: number; end: number; text: string }> = [];
    for (const anchor of anchors) {
      const tag = anchor[0];
      const href = /(\shref\s*=\s*)("([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(tag);
      if (!href) continue;
      const target = decodeEntities((href[3] ?? href[4] ?? href[5] ?? "").trim());
      if (!/^https?:\/\//i.test(target)) continue; // mailto:, tel:, #anchors, Liquid leftovers
      // Unsubscribe and preference links (and anything already ours) are not clicks to count.
      if (target.startsWith(`${origin}/u/`) || target.startsWith(`${origin}/t/`)) continue;
      const index = links.length;
      links.push(withUtm(target, input.utm));
      const token = await signToken(db, { t: "c", w: input.workspaceId, m: input.messageId, i: index } satisfies ClickToken);
      const rewritten = `${tag.slice(0, href.index)}${href[1]}"${origin}/t/c/${token}"${tag.slice(href.index + href[0].length)}`;
      replacements.push({ start: anchor.index, end: anchor.index + tag.length, text: rewritten });
    }
    for (const { start, end, text } of replacements.reverse()) html = html.slice(0, start) + text + html.slice(end);
  }
  if (input.trackOpens) {
    const token = await signToken(db, { t: "o", w: input.workspaceId, m: input.messageId } satisfies OpenToken);
    const pixel = openPixelTag(origin, token);
    const close = html.search(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i);
    html = close >= 0 ? html.slice(0, close) + pixel + html.slice(close) : html + pixel;
  }
  return { html, links };
}

export interface HitRequest {
  method: string;
  userAgent: string | null;
  ip: string | null;
}

export type OpenOutcome = { recorded: false } | { recorded: true; bot: boolean; reason?: BotReason };
export type ClickOutcome = { ok: false } | { ok: true; url: string; bot: boolean; reason?: BotReason };

async function findMessage(db: Db, workspaceId: string, messageId: string): Promise<Message | undefined> {
  const [message] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, messageId)));
  return message;
}

function hitDetails(request: HitRequest, extra: Record<string, string | number | null>) {
  return { ip: request.ip, user_agent: request.userAgent, method: request.method.toUpperCase(), ...extra };
}

// The contact timeline entry, already processed (its contact is known), unique per message_event.
async function timelineEvent(db: Db, message: Message, name: "Email Opened" | "Email Clicked", key: string, url: string | null, request: HitRequest) {
  // A "send test to me" went to a team member, not to the contact it was rendered for.
  if (!message.contactId || message.source === "test") return;
  const now = new Date();
  const context: Record<string, string> = {};
  if (request.ip) context.ip = request.ip;
  if (request.userAgent) context.userAgent = request.userAgent;
  await db
    .insert(events)
    .values({
      workspaceId: message.workspaceId,
      messageId: key,
      type: "track",
      name,
      contactId: message.contactId,
      properties: { message_id: message.id, template_id: message.templateId, url },
      context,
      timestamp: now,
      receivedAt: now,
      processedAt: now,
    })
    .onConflictDoNothing();
}

// Real-time segments ("performed Email Clicked") see the new timeline event at once, as
// they see tracked events. Best effort: the open or click is already recorded.
async function refreshSegments(db: Db, message: Message, names: string[]) {
  if (!message.contactId || message.source === "test") return;
  try {
    await refreshContacts(db, message.workspaceId, [message.contactId], {
      events: new Set(names),
      attributes: new Set(),
      fields: new Set(),
      tags: false,
      created: new Set(),
    });
  } catch (error) {
    console.error("[tracking] segment refresh", error);
  }
}

// Status only moves forward, and never over a bounce, complaint or failure.
async function markOpened(db: Db, message: Message) {
  await db
    .update(messages)
    .set({
      status: sql`case when ${messages.status} in ('sent', 'delivered') then 'opened'::message_status else ${messages.status} end`,
      openedAt: sql`coalesce(${messages.openedAt}, now())`,
      updatedAt: new Date(),
    })
    .where(and(eq(messages.workspaceId, message.workspaceId), eq(messages.id, message.id)));
}

async function markClicked(db: Db, message: Message) {
  await db
    .update(messages)
    .set({
      status: sql`case when ${messages.status} in ('sent', 'delivered', 'opened') then 'clicked'::message_status else ${messages.status} end`,
      openedAt: sql`coalesce(${messages.openedAt}, now())`,
      clickedAt: sql`coalesce(${messages.clickedAt}, now())`,
      updatedAt: new Date(),
    })
    .where(and(eq(messages.workspaceId, message.workspaceId), eq(messages.id, message.id)));
}

async function insertHit(db: Db, message: Message, type: "opened" | "clicked", bot: boolean, reason: BotReason | undefined, details: Record<string, string | number | null>) {
  const [row] = await db
    .insert(messageEvents)
    .values({ workspaceId: message.workspaceId, messageId: message.id, type, bot, reason: reason ?? null, details })
    .returning({ id: messageEvents.id });
  return row.id;
}

/** Records an open from the pixel's token; anything not signed by this instance records nothing. */
export async function recordOpen(db: Db, token: string, request: HitRequest, now = new Date()): Promise<OpenOutcome> {
  const payload = await verifyToken<OpenToken>(db, token);
  if (payload?.t !== "o" || typeof payload.w !== "string" || typeof payload.m !== "string") return { recorded: false };
  const outcome = await db.transaction(async (tx) => {
    const message = await findMessage(tx, payload.w, payload.m);
    if (!message) return { recorded: false } as const;
    const reason = botReason({ kind: "open", method: request.method, userAgent: request.userAgent, ip: request.ip, sentAt: message.sentAt, now });
    const id = await insertHit(tx, message, "opened", Boolean(reason), reason, hitDetails(request, {}));
    if (!reason) {
      await markOpened(tx, message);
      await timelineEvent(tx, message, "Email Opened", `open:${id}`, null, request);
    }
    return { recorded: true, bot: Boolean(reason), reason, message } as const;
  });
  if (!outcome.recorded) return outcome;
  if (!outcome.bot) await refreshSegments(db, outcome.message, ["Email Opened"]);
  return { recorded: true, bot: outcome.bot, reason: outcome.reason };
}

/** Records a click and answers the link it names; a forged or altered token, or an unknown link, answers nothing. */
export async function recordClick(db: Db, token: string, request: HitRequest, now = new Date()): Promise<ClickOutcome> {
  const payload = await verifyToken<ClickToken>(db, token);
  if (payload?.t !== "c" || typeof payload.w !== "string" || typeof payload.m !== "string" || !Number.isInteger(payload.i)) return { ok: false };
  const outcome = await db.transaction(async (tx) => {
    const [content] = await tx
      .select({ links: messageContents.links })
      .from(messageContents)
      .where(and(eq(messageContents.workspaceId, payload.w), eq(messageContents.messageId, payload.m)));
    const url = content?.links[payload.i];
    const message = url ? await findMessage(tx, payload.w, payload.m) : undefined;
    if (!url || !message || !/^https?:\/\//i.test(url)) return { ok: false } as const;

    const [burst] = await queryRows<{ links: number }>(
      tx,
      sql`select count(distinct details->>'index')::int as links from message_events
          where workspace_id = ${message.workspaceId} and message_id = ${message.id} and type = 'clicked'
            and at > ${new Date(now.getTime() - burstWindowSeconds * 1000).toISOString()}::timestamptz
            and details->>'index' is distinct from ${String(payload.i)}`,
    );
    const reason = botReason({
      kind: "click",
      method: request.method,
      userAgent: request.userAgent,
      ip: request.ip,
      sentAt: message.sentAt,
      now,
      recentDistinctLinks: Number(burst?.links ?? 0),
    });
    // A person who clicked has opened it, whether or not their client loaded the pixel.
    if (!reason && !message.openedAt) {
      const openId = await insertHit(tx, message, "opened", false, undefined, hitDetails(request, { implied_by: "click" }));
      await timelineEvent(tx, message, "Email Opened", `open:${openId}`, null, request);
    }
    const id = await insertHit(tx, message, "clicked", Boolean(reason), reason, hitDetails(request, { url, index: String(payload.i) }));
    if (reason === "link_burst") {
      // The clicks that made the burst were the same scanner.
      await tx.execute(
        sql`update message_events set bot = true, reason = coalesce(reason, 'link_burst')
            where workspace_id = ${message.workspaceId} and message_id = ${message.id} and type = 'clicked'
              and at > ${new Date(now.getTime() - burstWindowSeconds * 1000).toISOString()}::timestamptz`,
      );
    }
    if (!reason) {
      await markClicked(tx, message);
      await timelineEvent(tx, message, "Email Clicked", `click:${id}`, url, request);
    }
    return { ok: true, url, bot: Boolean(reason), reason, message } as const;
  });
  if (!outcome.ok) return outcome;
  if (!outcome.bot) await refreshSegments(db, outcome.message, outcome.message.openedAt ? ["Email Clicked"] : ["Email Opened", "Email Clicked"]);
  return { ok: true, url: outcome.url, bot: outcome.bot, reason: outcome.reason };
}

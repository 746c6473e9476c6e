import { sql } from "drizzle-orm";
import { createTranslator } from "next-intl";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import type { JsonObject } from "@/db/schema";
import { isLocale, type Locale } from "@/lib/i18n/locales";
import { loadMessages } from "@/lib/i18n/messages";
import { queueMessageRows } from "@/lib/messages/queue-many";
import { taskNotifications } from "@/lib/tasks/notify";
import type { ScoringConfig } from "./settings";

// The MQL hand-off, inside the transaction that moved the contact: a task for the owner with
// the contact's recent activity, the task's email to the owner, and a webhook for a CRM. All
// three hang off one task keyed per contact, so a contact is handed to sales once, however
// often its score crosses the threshold.

type Translate = (key: string, values?: Record<string, string | number>) => string;

const recentEvents = 10;

async function translators(locale: Locale): Promise<{ t: Translate; taskIntro: string }> {
  const messages = await loadMessages(locale);
  const t = createTranslator({ locale, messages, namespace: "scoring" }) as unknown as Translate;
  const taskIntro = ((messages.tasks as { notification?: { intro?: string } } | undefined)?.notification?.intro ?? "").trim();
  return { t, taskIntro };
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

function when(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

interface HandedContact {
  id: string;
  email: string | null;
  external_id: string | null;
  first_name: string | null;
  last_name: string | null;
  score: number;
  score_fit: number;
  score_engagement: number;
  lifecycle_stage: string | null;
}

export async function handOff(db: Db, workspaceId: string, settings: ScoringConfig, contactIds: string[], now: Date): Promise<{ tasks: string[] }> {
  if (contactIds.length === 0) return { tasks: [] };
  const ids = JSON.stringify(contactIds);
  const [owner] = settings.ownerId
    ? await queryRows<{ id: string; locale: string | null }>(
        db,
        sql`select u.id, u.locale from members m join users u on u.id = m.user_id where m.workspace_id = ${workspaceId} and m.user_id = ${settings.ownerId}::uuid`,
      )
    : [];
  const [workspace] = await queryRows<{ timezone: string }>(db, sql`select timezone from workspaces where id = ${workspaceId}`);
  const timeZone = workspace?.timezone ?? "UTC";
  const locale: Locale = isLocale(owner?.locale) ? owner.locale : "en";
  const { t, taskIntro } = await translators(locale);

  const people = await queryRows<HandedContact>(
    db,
    sql`select id, email, external_id, first_name, last_name, score, score_fit, score_engagement, lifecycle_stage from contacts
        where workspace_id = ${workspaceId} and id in (select jsonb_array_elements_text(${ids}::jsonb)::uuid)`,
  );
  const events = await queryRows<{ contact_id: string; name: string | null; type: string; timestamp: string | Date }>(
    db,
    sql`select x.id as contact_id, e.name, e.type, e.timestamp
        from (select jsonb_array_elements_text(${ids}::jsonb)::uuid as id) x
        cross join lateral (
          select name, type, timestamp from events
          where workspace_id = ${workspaceId} and contact_id = x.id and message_id not like 'segment:%'
          order by timestamp desc, id desc limit ${recentEvents}) e`,
  );
  const byContact = new Map<string, Array<{ name: string; at: Date }>>();
  for (const event of events) {
    const list = byContact.get(event.contact_id) ?? [];
    list.push({ name: event.name ?? event.type, at: new Date(event.timestamp) });
    byContact.set(event.contact_id, list);
  }

  const rows = people.map((person) => {
    const label = [person.first_name, person.last_name].filter(Boolean).join(" ") || person.email || person.external_id || person.id.slice(0, 8);
    const recent = byContact.get(person.id) ?? [];
    const notes = [
      t("handoff.summary", { contact: label, score: person.score, fit: person.score_fit, engagement: person.score_engagement }),
      "",
      recent.length > 0 ? t("handoff.recent") : t("handoff.noActivity"),
      ...recent.map((event) => `- ${when(event.at, timeZone)} ${event.name}`),
    ].join("\n");
    return { key: `scoring:mql:${person.id}`, contact_id: person.id, title: t("handoff.title", { contact: label, score: person.score }), notes };
  });
  const inserted = await queryRows<{ id: string; contact_id: string }>(
    db,
    sql`insert into tasks (workspace_id, idempotency_key, title, notes, contact_id, assignee_id, source, source_id)
        select ${workspaceId}, x.key, x.title, x.notes, x.contact_id, ${owner?.id ?? null}::uuid, 'scoring', null
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(key text, contact_id uuid, title text, notes text)
        on conflict (workspace_id, idempotency_key) do nothing
        returning id, contact_id`,
  );
  if (inserted.length === 0) return { tasks: [] };

  if (owner) {
    // The tasks' email says a journey made it; this one says the lead reached MQL.
    const intro = t("handoff.intro");
    const notifications = await taskNotifications(db, workspaceId, inserted.map((row) => row.id));
    const mail = notifications.map((note) => {
      const content = { ...(note.data.$content as { subject: string; html: string; text: string }) };
      if (taskIntro) {
        content.html = content.html.replace(`<p>${escapeHtml(taskIntro)}</p>`, `<p>${escapeHtml(intro)}</p>`);
        if (content.text.startsWith(taskIntro)) content.text = `${intro}${content.text.slice(taskIntro.length)}`;
      }
      return { key: note.key, contactId: null, to: note.to, data: { ...note.data, $content: content } as JsonObject };
    });
    await queueMessageRows(db, workspaceId, mail, { source: "scoring", sourceId: null, channel: "email", kind: "transactional", templateId: null, templateVersion: null, topicId: null });
    await db.execute(sql`update tasks set notified_at = ${now.toISOString()}::timestamptz
      where workspace_id = ${workspaceId} and id in (select jsonb_array_elements_text(${JSON.stringify(inserted.map((row) => row.id))}::jsonb)::uuid)`);
  }

  if (settings.handoffWebhookUrl) {
    const byId = new Map(people.map((person) => [person.id, person]));
    const hooks = inserted.flatMap((task) => {
      const person = byId.get(task.contact_id);
      if (!person) return [];
      const data: JsonObject = {
        type: "contact.mql",
        occurred_at: now.toISOString(),
        task_id: task.id,
        owner_id: owner?.id ?? null,
        contact: {
          id: person.id,
          email: person.email,
          external_id: person.external_id,
          first_name: person.first_name,
          last_name: person.last_name,
          score: person.score,
          score_fit: person.score_fit,
          score_engagement: person.score_engagement,
          lifecycle_stage: person.lifecycle_stage,
        },
        recent_events: (byContact.get(person.id) ?? []).map((event) => ({ name: event.name, timestamp: event.at.toISOString() })),
      };
      return [{ key: `scoring:mql:${person.id}:webhook`, contactId: person.id, to: settings.handoffWebhookUrl, data }];
    });
    await queueMessageRows(db, workspaceId, hooks, { source: "scoring", sourceId: null, channel: "webhook", kind: "transactional", templateId: null, templateVersion: null, topicId: null });
  }
  return { tasks: inserted.map((row) => row.id) };
}

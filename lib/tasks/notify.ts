import { sql } from "drizzle-orm";
import { createTranslator } from "next-intl";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import type { JsonObject } from "@/db/schema";
import { isLocale, type Locale } from "@/lib/i18n/locales";
import { loadMessages } from "@/lib/i18n/messages";
import { publicOrigin } from "@/lib/messages/send";

type Translate = (key: string, values?: Record<string, string>) => string;

const translators = new Map<Locale, Promise<Translate>>();

function translator(locale: Locale): Promise<Translate> {
  let found = translators.get(locale);
  if (!found) {
    found = loadMessages(locale).then((messages) => createTranslator({ locale, messages, namespace: "tasks" }) as unknown as Translate);
    translators.set(locale, found);
  }
  return found;
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

export interface TaskNotification {
  key: string;
  to: string;
  data: JsonObject;
}

// The email that tells a member about a new task, in the member's language, with a link to the
// contact. It goes through the messages pipeline as a transactional message without a template
// (its content in data.$content), under the key task:<id>:notify, so it is sent once.
export async function taskNotifications(db: Db, workspaceId: string, taskIds: string[]): Promise<TaskNotification[]> {
  if (taskIds.length === 0) return [];
  const rows = await queryRows<{ id: string; title: string; notes: string | null; due_at: string | Date | null; contact_id: string | null; contact: string | null; email: string; locale: string | null; slug: string }>(
    db,
    sql`select t.id, t.title, t.notes, t.due_at, t.contact_id,
               coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email, c.external_id, t.contact_id::text) as contact,
               u.email, u.locale, w.slug
        from tasks t
        join users u on u.id = t.assignee_id
        join workspaces w on w.id = t.workspace_id
        left join contacts c on c.workspace_id = t.workspace_id and c.id = t.contact_id
        where t.workspace_id = ${workspaceId} and t.id in (${sql.join(taskIds.map((id) => sql`${id}::uuid`), sql`, `)})`,
  );
  const origin = publicOrigin();
  return Promise.all(
    rows.map(async (row) => {
      const locale: Locale = isLocale(row.locale) ? row.locale : "en";
      const t = await translator(locale);
      const link = row.contact_id ? `${origin}/w/${row.slug}/contacts/${row.contact_id}` : `${origin}/w/${row.slug}`;
      const lines = [
        t("notification.intro"),
        row.title,
        ...(row.notes ? [row.notes] : []),
        ...(row.contact ? [t("notification.about", { contact: row.contact })] : []),
        ...(row.due_at ? [t("notification.due", { due: new Date(row.due_at).toISOString().slice(0, 10) })] : []),
      ];
      const html = `${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join("")}<p><a href="${escapeHtml(link)}">${escapeHtml(t("notification.open"))}</a></p>`;
      return {
        key: `task:${row.id}:notify`,
        to: row.email,
        data: { $content: { subject: t("notification.subject", { title: row.title }), html, text: `${lines.join("\n")}\n\n${link}` }, task_id: row.id },
      };
    }),
  );
}

import { and, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { forgetWorkspace } from "./reference-cache";
import { templates, templateVersions, topics, type Channel, type JsonObject, type MessageKind, type Template, type TemplateFormat, type TemplateVersion } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { checkContent, type TemplateCreate, type TemplatePatch } from "@/lib/validation/templates";
import { codeComponents, renderLayout, type CodeComponentName } from "./render";

// Templates are versioned: every save writes a new frozen row in template_versions with its
// layout rendered once through react-email, and moves templates.current_version to it.

export interface VersionFields {
  subject?: string | null;
  preheader?: string | null;
  from_name?: string | null;
  from_email?: string | null;
  reply_to?: string | null;
  content?: JsonObject;
}

export async function listTemplates(db: Db, workspaceId: string, filter: { channel?: Channel; archived?: boolean } = {}) {
  return db
    .select()
    .from(templates)
    .where(
      and(
        eq(templates.workspaceId, workspaceId),
        filter.channel ? eq(templates.channel, filter.channel) : undefined,
        filter.archived ? isNotNull(templates.archivedAt) : isNull(templates.archivedAt),
      ),
    )
    .orderBy(desc(templates.updatedAt), desc(templates.id));
}

export async function getTemplate(db: Db, workspaceId: string, templateId: string): Promise<Template | undefined> {
  if (!z.uuid().safeParse(templateId).success) return undefined;
  const [template] = await db.select().from(templates).where(and(eq(templates.workspaceId, workspaceId), eq(templates.id, templateId)));
  return template;
}

export async function requireTemplate(db: Db, workspaceId: string, templateId: string): Promise<Template> {
  const template = await getTemplate(db, workspaceId, templateId);
  if (!template) throw new AppError("not_found", "No such template.");
  return template;
}

/** A template and one of its versions (default: the current one). */
export async function getTemplateVersion(
  db: Db,
  workspaceId: string,
  templateId: string,
  version?: number,
): Promise<{ template: Template; version: TemplateVersion } | undefined> {
  const template = await getTemplate(db, workspaceId, templateId);
  if (!template) return undefined;
  const number = version ?? template.currentVersion;
  const [row] = await db
    .select()
    .from(templateVersions)
    .where(and(eq(templateVersions.workspaceId, workspaceId), eq(templateVersions.templateId, templateId), eq(templateVersions.version, number)));
  return row ? { template, version: row } : undefined;
}

export async function listVersions(db: Db, workspaceId: string, templateId: string) {
  return db
    .select({
      version: templateVersions.version,
      subject: templateVersions.subject,
      createdAt: templateVersions.createdAt,
      createdBy: templateVersions.createdBy,
    })
    .from(templateVersions)
    .where(and(eq(templateVersions.workspaceId, workspaceId), eq(templateVersions.templateId, templateId)))
    .orderBy(desc(templateVersions.version));
}

async function checkTopic(db: Db, workspaceId: string, topicId: string | null | undefined) {
  if (!topicId) return;
  const [topic] = await db.select({ id: topics.id }).from(topics).where(and(eq(topics.workspaceId, workspaceId), eq(topics.id, topicId)));
  if (!topic) throw new AppError("validation_failed", "No such topic in this workspace.", [{ path: "topic_id", message: "No such topic in this workspace." }]);
}

function parseContent(channel: Channel, format: TemplateFormat, content: unknown): JsonObject {
  z.unknown()
    .superRefine((value, context) => checkContent(channel, format, value, context))
    .parse(content);
  return content as JsonObject;
}

async function layoutRow(template: { channel: Channel; format: TemplateFormat; kind: MessageKind }, fields: Required<VersionFields>) {
  return renderLayout({ channel: template.channel, format: template.format, kind: template.kind, content: fields.content, preheader: fields.preheader });
}

export async function createTemplate(db: Db, workspaceId: string, input: TemplateCreate, userId?: string | null) {
  await checkTopic(db, workspaceId, input.topic_id);
  const fields: Required<VersionFields> = {
    subject: input.subject ?? null,
    preheader: input.preheader ?? null,
    from_name: input.from_name ?? null,
    from_email: input.from_email ?? null,
    reply_to: input.reply_to ?? null,
    content: input.content,
  };
  // React runs before the transaction: a slow render never holds a lock.
  const layout = await layoutRow(input, fields);
  return db.transaction(async (tx) => {
    const [template] = await tx
      .insert(templates)
      .values({ workspaceId, name: input.name, channel: input.channel, kind: input.kind, format: input.format, topicId: input.topic_id ?? null, currentVersion: 1, createdBy: userId ?? null })
      .returning();
    const [version] = await tx.insert(templateVersions).values(versionValues(template, 1, fields, layout, userId)).returning();
    return { template, version };
  });
}

function versionValues(template: Template, number: number, fields: Required<VersionFields>, layout: { html: string | null; text: string | null }, userId?: string | null) {
  return {
    workspaceId: template.workspaceId,
    templateId: template.id,
    version: number,
    subject: fields.subject,
    preheader: fields.preheader,
    fromName: fields.from_name,
    fromEmail: fields.from_email,
    replyTo: fields.reply_to,
    content: fields.content,
    html: layout.html,
    text: layout.text,
    createdBy: userId ?? null,
  };
}

function fieldsOf(version: TemplateVersion): Required<VersionFields> {
  return { subject: version.subject, preheader: version.preheader, from_name: version.fromName, from_email: version.fromEmail, reply_to: version.replyTo, content: version.content };
}

const versionKeys = ["subject", "preheader", "from_name", "from_email", "reply_to", "content"] as const;

/** A new version from the current one with `changes` applied; the template points at it. */
export async function saveVersion(db: Db, workspaceId: string, templateId: string, changes: VersionFields, userId?: string | null, kind?: MessageKind) {
  forgetWorkspace(workspaceId);
  const current = await getTemplateVersion(db, workspaceId, templateId);
  if (!current || current.template.archivedAt) throw new AppError("not_found", "No such template.");
  const { template } = current;
  const fields = { ...fieldsOf(current.version) };
  for (const key of versionKeys) if (changes[key] !== undefined) (fields as Record<string, unknown>)[key] = changes[key];
  fields.content = parseContent(template.channel, template.format, fields.content);
  if (template.channel === "email" && !fields.subject) throw new AppError("validation_failed", "An email needs a subject.", [{ path: "subject", message: "An email needs a subject." }]);
  const layout = await layoutRow({ ...template, kind: kind ?? template.kind }, fields);
  return db.transaction(async (tx) => {
    // The row update serialises concurrent saves: each gets the next number.
    const [bumped] = await tx
      .update(templates)
      .set({ currentVersion: sql`${templates.currentVersion} + 1`, updatedAt: new Date(), ...(kind ? { kind } : {}) })
      .where(and(eq(templates.workspaceId, workspaceId), eq(templates.id, templateId)))
      .returning();
    const [version] = await tx.insert(templateVersions).values(versionValues(bumped, bumped.currentVersion, fields, layout, userId)).returning();
    return { template: bumped, version };
  });
}

/** Name, kind and topic change the template; anything a version holds makes a new version. */
export async function updateTemplate(db: Db, workspaceId: string, templateId: string, patch: TemplatePatch, userId?: string | null) {
  forgetWorkspace(workspaceId);
  const template = await requireTemplate(db, workspaceId, templateId);
  if (template.archivedAt) throw new AppError("conflict", "This template is archived.");
  if (patch.topic_id !== undefined) await checkTopic(db, workspaceId, patch.topic_id);
  const kindChanged = patch.kind !== undefined && patch.kind !== template.kind;
  const changesVersion = versionKeys.some((key) => patch[key] !== undefined) || (kindChanged && template.channel === "email");
  let result: { template: Template; version?: TemplateVersion } = { template };
  if (patch.name !== undefined || patch.topic_id !== undefined || kindChanged) {
    const [updated] = await db
      .update(templates)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.topic_id !== undefined ? { topicId: patch.topic_id } : {}),
        ...(changesVersion ? {} : kindChanged ? { kind: patch.kind } : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(templates.workspaceId, workspaceId), eq(templates.id, templateId)))
      .returning();
    result = { template: updated };
  }
  if (changesVersion) result = await saveVersion(db, workspaceId, templateId, patch, userId, kindChanged ? patch.kind : undefined);
  return result;
}

/** Restoring an old version writes it again as the newest one; history is never rewritten. */
export async function restoreVersion(db: Db, workspaceId: string, templateId: string, version: number, userId?: string | null) {
  forgetWorkspace(workspaceId);
  const old = await getTemplateVersion(db, workspaceId, templateId, version);
  if (!old) throw new AppError("not_found", `No version ${version} of this template.`);
  return saveVersion(db, workspaceId, templateId, fieldsOf(old.version), userId);
}

/** Archived templates leave the list and cannot be edited; messages that used them keep their link. */
export async function archiveTemplate(db: Db, workspaceId: string, templateId: string) {
  forgetWorkspace(workspaceId);
  await requireTemplate(db, workspaceId, templateId);
  const [template] = await db
    .update(templates)
    .set({ archivedAt: sql`coalesce(${templates.archivedAt}, now())`, updatedAt: new Date() })
    .where(and(eq(templates.workspaceId, workspaceId), eq(templates.id, templateId)))
    .returning();
  return template;
}

export function templateJson(template: Template, version?: TemplateVersion) {
  return {
    id: template.id,
    name: template.name,
    channel: template.channel,
    kind: template.kind,
    format: template.format,
    topic_id: template.topicId,
    current_version: template.currentVersion,
    archived_at: template.archivedAt?.toISOString() ?? null,
    created_at: template.createdAt.toISOString(),
    updated_at: template.updatedAt.toISOString(),
    ...(version ? { version: versionJson(version) } : {}),
  };
}

export function versionJson(version: TemplateVersion) {
  return {
    version: version.version,
    subject: version.subject,
    preheader: version.preheader,
    from_name: version.fromName,
    from_email: version.fromEmail,
    reply_to: version.replyTo,
    content: version.content,
    html: version.html,
    text: version.text,
    created_at: version.createdAt.toISOString(),
  };
}


/** A blank document to start a visual template from. */
export const starterDocument = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 1 }, content: [{ type: "text", text: 'Hello {{ contact.first_name | default: "there" }}' }] },
    { type: "paragraph", content: [{ type: "text", text: "Write your message here." }] },
  ],
};

/** What a new template starts with, so the editor never opens on a blank page. */
export function starterContent(channel: Channel, format: TemplateFormat, component: CodeComponentName = "welcome"): JsonObject {
  if (channel === "email" && format === "code") return { component, props: (codeComponents[component].PreviewProps ?? {}) as JsonObject };
  if (channel === "email") return { document: starterDocument as JsonObject };
  if (channel === "inbox") return { title: 'Hi {{ contact.first_name | default: "there" }}', text: "You have a new message.", url: "" };
  if (channel === "webhook") return { url: "https://example.com/hooks/tideline", text: '{"contact": {{ contact.id | json }}, "email": {{ contact.email | json }}}' };
  return { text: 'Hi {{ contact.first_name | default: "there" }}, ' };
}

export const starterSubjects: Record<CodeComponentName | "visual", string> = {
  welcome: 'Welcome, {{ contact.first_name | default: "there" }}',
  newsletter: "News from {{ workspace.name }}",
  transactional: "Your order {{ data.order_id }}",
  visual: 'Hello {{ contact.first_name | default: "there" }}',
};

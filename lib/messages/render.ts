import { createElement, type ComponentType } from "react";
import { render, toPlainText } from "@react-email/render";
import type { JSONContent } from "@tiptap/core";
import type { Channel, Contact, JsonObject, MessageKind, TemplateFormat, TemplateVersion } from "@/db/schema";
import Newsletter from "@/emails/newsletter";
import Transactional from "@/emails/transactional";
import Welcome from "@/emails/welcome";
import { AppError } from "@/lib/errors";
import { CompiledCache, compile, renderCompiled, restoreLiquidTags, type Compiled, type Memo } from "./liquid";

export interface RenderContext {
  contact: {
    id: string;
    email: string | null;
    phone: string | null;
    first_name: string | null;
    last_name: string | null;
    external_id: string | null;
    timezone: string | null;
    locale: string | null;
    attributes: JsonObject;
    tags: string[];
  } | null;
  event?: { name: string | null; properties: JsonObject };
  data: JsonObject;
  workspace: { name: string; postal_address: string | null };
  links: { unsubscribe: string; preferences: string };
  /** The shared footer's words in the recipient's language; filled from contact.locale when absent. */
  labels?: FooterLabels;
  message: { id: string };
  coupon?: JsonObject;
}

export interface Rendered {
  subject: string;
  preheader?: string;
  html?: string;
  text: string;
  url?: string;
  fromName?: string;
  fromEmail?: string;
  replyTo?: string;
}

/** The react-email components in emails/ a code template can name. */
export const codeComponents = { welcome: Welcome, newsletter: Newsletter, transactional: Transactional } as const;
export type CodeComponentName = keyof typeof codeComponents;
export const codeComponentNames = Object.keys(codeComponents) as CodeComponentName[];

export function contactContext(contact: Contact): NonNullable<RenderContext["contact"]> {
  return {
    id: contact.id,
    email: contact.email,
    phone: contact.phone,
    first_name: contact.firstName,
    last_name: contact.lastName,
    external_id: contact.externalId,
    timezone: contact.timezone,
    locale: contact.locale,
    attributes: contact.attributes ?? {},
    tags: contact.tags ?? [],
  };
}

/** What a preview shows when no contact is chosen. */
export function sampleContext(workspace: { name: string; postal_address: string | null }, contact?: Contact): RenderContext {
  return {
    contact: contact
      ? contactContext(contact)
      : { id: "00000000-0000-0000-0000-000000000000", email: "ada@example.com", phone: "+15555550100", first_name: "Ada", last_name: "Lovelace", external_id: "sample-1", timezone: null, locale: "en", attributes: { plan: "pro" }, tags: ["sample"] },
    event: { name: "Order Completed", properties: { order_id: "1001", total: "42.00" } },
    data: { order_id: "1001", total: "42.00" },
    workspace,
    links: { unsubscribe: "https://example.com/u/sample", preferences: "https://example.com/u/sample/preferences" },
    message: { id: "00000000-0000-0000-0000-000000000000" },
    coupon: { code: "SAMPLE-10" },
  };
}

export interface LayoutInput {
  channel: Channel;
  format: TemplateFormat;
  kind: MessageKind;
  content: JsonObject;
  preheader?: string | null;
}

// html-to-text shouts headings by default, which would also upper-case Liquid variable names.
const plainTextHeadings = ["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({ selector, options: { uppercase: false } }));

// Runs React once for a version: the stored html/text keep every Liquid placeholder, so a
// send of a million only runs Liquid per recipient. Text formats have no layout.
export async function renderLayout(input: LayoutInput): Promise<{ html: string | null; text: string | null }> {
  if (input.channel !== "email" || input.format === "text") {
    const text = typeof input.content.text === "string" ? input.content.text : null;
    return { html: null, text };
  }
  let html: string;
  if (input.format === "code") {
    const name = input.content.component as CodeComponentName;
    const component = codeComponents[name] as ComponentType<Record<string, unknown>> | undefined;
    if (!component) throw new AppError("validation_failed", `content.component must be one of ${codeComponentNames.join(", ")}.`, [{ path: "content.component", message: "unknown_component" }]);
    const props = (input.content.props ?? {}) as Record<string, unknown>;
    html = await render(createElement(component, { ...props, preheader: input.preheader ?? undefined }));
  } else {
    // The editor's extensions are heavy to load (Tiptap, Prism); only saving a visual version needs them.
    const { renderVisual } = await import("./visual");
    html = await renderVisual(input.content.document as JSONContent, { preheader: input.preheader, transactional: input.kind === "transactional" });
  }
  html = restoreLiquidTags(html);
  return { html, text: toPlainText(html, { selectors: plainTextHeadings }) };
}

interface CompiledVersion {
  subject: Compiled;
  preheader: Compiled;
  html?: Compiled;
  text: Compiled;
  url?: Compiled;
  fromName: Compiled;
  fromEmail: Compiled;
  replyTo: Compiled;
}

const cache = new CompiledCache<CompiledVersion>(500);

/** Forgets parsed versions (tests that rewrite a version in place). */
export function clearRenderCache() {
  cache.clear();
}

function compileVersion(version: TemplateVersion): CompiledVersion {
  const content = version.content ?? {};
  const str = (value: unknown) => (typeof value === "string" ? value : "");
  // Inbox items keep their title in `content.title`; webhooks their target in `content.url`.
  const subject = version.subject ?? str(content.title);
  const url = typeof content.url === "string" ? content.url : undefined;
  return {
    subject: compile(subject, "text"),
    preheader: compile(version.preheader ?? "", "text"),
    html: version.html ? compile(version.html, "html") : undefined,
    text: compile(version.text ?? str(content.text), "text"),
    url: url === undefined ? undefined : compile(url, "text"),
    fromName: compile(version.fromName ?? "", "text"),
    fromEmail: compile(version.fromEmail ?? "", "text"),
    replyTo: compile(version.replyTo ?? "", "text"),
  };
}

export interface FooterLabels {
  unsubscribe: string;
  preferences: string;
}

const footerWords: Record<"en" | "zh", FooterLabels> = {
  en: { unsubscribe: "Unsubscribe", preferences: "Email preferences" },
  zh: { unsubscribe: "退订", preferences: "邮件订阅设置" },
};

/** The footer's words for a contact's locale (zh, zh-CN, zh-Hans… get Chinese; the rest English). */
export function footerLabels(locale: string | null | undefined): FooterLabels {
  return locale?.toLowerCase().startsWith("zh") ? footerWords.zh : footerWords.en;
}

/** Liquid per recipient over the version's stored layout (no React here). */
export async function personalise(version: TemplateVersion, context: RenderContext): Promise<Rendered> {
  const compiled = cache.get(`${version.workspaceId}:${version.templateId}:${version.version}`, () => compileVersion(version));
  const scope = (context.labels ? context : { ...context, labels: footerLabels(context.contact?.locale) }) as unknown as object;
  // One recipient's values are worked out once and shared by every part of the message.
  const memo: Memo = new Map();
  const text = (part: Compiled) => renderCompiled(part, "text", scope, memo);
  const optional = (part: Compiled) => {
    const value = text(part).trim();
    return value ? value : undefined;
  };
  return {
    subject: text(compiled.subject).replace(/\s+/g, " ").trim(),
    preheader: optional(compiled.preheader),
    html: compiled.html === undefined ? undefined : renderCompiled(compiled.html, "html", scope, memo),
    text: text(compiled.text),
    url: compiled.url === undefined ? undefined : text(compiled.url).trim(),
    fromName: optional(compiled.fromName),
    fromEmail: optional(compiled.fromEmail),
    replyTo: optional(compiled.replyTo),
  };
}

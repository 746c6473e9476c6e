import { z } from "zod";
import { channels, messageKinds, templateFormats, type Channel, type TemplateFormat } from "@/db/schema";
import { liquidError } from "@/lib/messages/liquid";

// One schema per body, shared by the REST routes and the template pages' server actions.
// Every string may hold Liquid; a string that does not parse is refused with its path.

const liquid = (max: number) =>
  z
    .string()
    .max(max, `Use at most ${max} characters.`)
    .superRefine((value, context) => {
      const problem = liquidError(value);
      if (problem) context.addIssue({ code: "custom", message: `Liquid does not parse: ${problem}` });
    });
const optionalLine = (max: number) =>
  liquid(max)
    .transform((value) => value.trim() || null)
    .nullable()
    .optional();

const name = z.string().trim().min(1, "Give the template a name.").max(200, "Use at most 200 characters.");

/** The settings every version freezes besides its content. */
export const versionFieldsSchema = z.object({
  subject: optionalLine(998),
  preheader: optionalLine(500),
  from_name: optionalLine(200),
  from_email: optionalLine(320).refine((value) => !value || value.includes("{{") || z.email().safeParse(value).success, "Not an email address."),
  reply_to: optionalLine(320).refine((value) => !value || value.includes("{{") || z.email().safeParse(value).success, "Not an email address."),
});

const httpUrl = liquid(2000).refine((value) => /^https?:\/\//i.test(value.trim()), "Use an http:// or https:// URL.");

const contentSchemas = {
  code: z.strictObject({
    component: z.enum(["welcome", "newsletter", "transactional"], "Use welcome, newsletter or transactional."),
    props: z.record(z.string(), z.json()).default({}),
  }),
  visual: z.strictObject({
    document: z.looseObject({ type: z.literal("doc", "A visual document has type \"doc\"."), content: z.array(z.json()).optional() }),
  }),
  sms: z.strictObject({ text: liquid(1600).refine((value) => value.trim().length > 0, "Write the message text.") }),
  wechat: z.strictObject({ text: liquid(5000).refine((value) => value.trim().length > 0, "Write the message text.") }),
  inbox: z.strictObject({
    title: liquid(300).refine((value) => value.trim().length > 0, "Give the inbox item a title."),
    text: liquid(10_000),
    url: liquid(2000).optional(),
  }),
  webhook: z.strictObject({ url: httpUrl, text: liquid(100_000) }),
};

/** The schema the content of a template of this channel and format must match. */
export function contentSchema(channel: Channel, format: TemplateFormat) {
  if (channel === "email") return format === "visual" ? contentSchemas.visual : format === "code" ? contentSchemas.code : contentSchemas.sms;
  return contentSchemas[channel];
}

/** The formats a channel can use: email is code or visual, the others plain Liquid text. */
export function formatsFor(channel: Channel): TemplateFormat[] {
  return channel === "email" ? ["code", "visual"] : ["text"];
}

// Props of code templates are strings (or lists of objects of strings): each is Liquid.
function liquidInProps(value: unknown, path: (string | number)[], context: z.RefinementCtx) {
  if (typeof value === "string") {
    const problem = liquidError(value);
    if (problem) context.addIssue({ code: "custom", path, message: `Liquid does not parse: ${problem}` });
  } else if (Array.isArray(value)) value.forEach((item, index) => liquidInProps(item, [...path, index], context));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) liquidInProps(item, [...path, key], context);
}

export function checkContent(channel: Channel, format: TemplateFormat, content: unknown, context: z.RefinementCtx) {
  const parsed = contentSchema(channel, format).safeParse(content);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) context.addIssue({ code: "custom", path: ["content", ...issue.path.map((part) => (typeof part === "symbol" ? String(part) : part))], message: issue.message });
    return;
  }
  if (format === "code") liquidInProps((parsed.data as { props: unknown }).props, ["content", "props"], context);
  if (format === "visual") liquidInProps((parsed.data as { document: unknown }).document, ["content", "document"], context);
}

/** POST /api/v1/templates */
export const templateCreateSchema = z
  .strictObject({
    name,
    channel: z.enum(channels, `Use one of ${channels.join(", ")}.`).default("email"),
    kind: z.enum(messageKinds, "Use marketing or transactional.").default("marketing"),
    format: z.enum(templateFormats, "Use code, visual or text.").optional(),
    topic_id: z.uuid("Not a topic id.").nullable().optional(),
    content: z.record(z.string(), z.json()),
    ...versionFieldsSchema.shape,
  })
  // Without a format, email content says which it is: `component` is code, `document` visual.
  .transform((body) => ({ ...body, format: body.format ?? (body.channel !== "email" ? ("text" as const) : "component" in body.content ? ("code" as const) : ("visual" as const)) }))
  .superRefine((body, context) => {
    if (!formatsFor(body.channel).includes(body.format)) {
      context.addIssue({ code: "custom", path: ["format"], message: `A ${body.channel} template uses ${formatsFor(body.channel).join(" or ")}.` });
      return;
    }
    if (body.channel === "email" && !body.subject) context.addIssue({ code: "custom", path: ["subject"], message: "An email needs a subject." });
    checkContent(body.channel, body.format, body.content, context);
  });
export type TemplateCreate = z.output<typeof templateCreateSchema>;

/** PATCH /api/v1/templates/:id: template fields change in place; version fields or content make a new version. */
export const templatePatchSchema = z.strictObject({
  name: name.optional(),
  kind: z.enum(messageKinds, "Use marketing or transactional.").optional(),
  topic_id: z.uuid("Not a topic id.").nullable().optional(),
  content: z.record(z.string(), z.json()).optional(),
  ...versionFieldsSchema.shape,
});
export type TemplatePatch = z.output<typeof templatePatchSchema>;

/** GET /api/v1/templates */
export const templateListQuerySchema = z.strictObject({
  channel: z.enum(channels, `Use one of ${channels.join(", ")}.`).optional(),
  archived: z.enum(["true", "false"], "Use true or false.").optional(),
});

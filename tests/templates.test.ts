import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { contacts, templates, templateVersions, topics } from "@/db/schema";
import { contactContext, personalise, sampleContext, type RenderContext } from "@/lib/messages/render";
import { archiveTemplate, createTemplate, getTemplateVersion, listTemplates, listVersions, restoreVersion, saveVersion, starterDocument, updateTemplate } from "@/lib/messages/templates";

import { templateCreateSchema } from "@/lib/validation/templates";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

const newsletter = (subject = 'News for {{ contact.first_name | default: "you" }}') =>
  templateCreateSchema.parse({
    name: "Monthly news",
    subject,
    preheader: "Hi {{ contact.first_name }}",
    content: {
      component: "newsletter",
      props: {
        title: "Hello {{ contact.first_name | default: \"there\" }}",
        intro: "Plan: {{ contact.attributes.plan | default: \"free\" }}; {{ event.properties.sku }}; order {{ data.order_id }}; {{ coupon.code }}; {{ workspace.name }}",
        sections: [{ heading: "Shipped", body: "Missing: [{{ contact.attributes.nothing }}] [{{ nope.deeper.still }}]", linkLabel: "More", linkUrl: "https://example.com/more?c={{ contact.id }}" }],
      },
    },
  });

function context(contact: RenderContext["contact"], extra: Partial<RenderContext> = {}): RenderContext {
  return {
    contact,
    data: { order_id: "A-7" },
    event: { name: "Viewed", properties: { sku: "SKU-9" } },
    workspace: { name: "Acme & Co", postal_address: "1 Harbour Road, Portsmouth" },
    links: { unsubscribe: "https://t.example/u/abc?x=1&y=2", preferences: "https://t.example/u/abc/prefs" },
    message: { id: "m-1" },
    coupon: { code: "SAVE10" },
    ...extra,
  };
}

describe.each(databaseKinds)("templates on %s", (kind) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("stores version 1 with the layout rendered once and the Liquid placeholders kept", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const { template, version } = await createTemplate(database.db, workspace.id, newsletter());
    expect(template.currentVersion).toBe(1);
    expect(version.version).toBe(1);
    // The quotes of the default filter survive React's escaping.
    expect(version.html).toContain('{{ contact.first_name | default: "there" }}');
    expect(version.html).toContain("{{ links.unsubscribe }}");
    expect(version.html).toContain("{{ workspace.postal_address }}");
    expect(version.text).toContain('Hello {{ contact.first_name | default: "there" }}');
    expect(version.text).not.toMatch(/<[a-z]/i);
  });

  it("makes a new frozen version on every save, and restoring copies an old one forward", async () => {
    const { workspace, owner } = await createOwnedWorkspace(database.db);
    const { template } = await createTemplate(database.db, workspace.id, newsletter("First subject"), owner.id);
    const second = await saveVersion(database.db, workspace.id, template.id, { subject: "Second subject" }, owner.id);
    expect(second.version.version).toBe(2);
    expect(second.template.currentVersion).toBe(2);
    const third = await updateTemplate(database.db, workspace.id, template.id, { content: { component: "welcome", props: { heading: "Welcome aboard" } }, from_name: "Acme news" });
    expect(third.version?.version).toBe(3);
    expect(third.version?.html).toContain("Welcome aboard");
    expect(third.version?.subject).toBe("Second subject");

    // A rename alone is not a new version.
    const renamed = await updateTemplate(database.db, workspace.id, template.id, { name: "Renamed" });
    expect(renamed.template.currentVersion).toBe(3);

    const first = await getTemplateVersion(database.db, workspace.id, template.id, 1);
    expect(first?.version.subject).toBe("First subject");
    expect(first?.version.html).not.toContain("Welcome aboard");

    const restored = await restoreVersion(database.db, workspace.id, template.id, 1, owner.id);
    expect(restored.version.version).toBe(4);
    expect(restored.version.subject).toBe("First subject");
    expect(restored.version.html).toBe(first?.version.html);
    expect((await listVersions(database.db, workspace.id, template.id)).map((row) => row.version)).toEqual([4, 3, 2, 1]);
    const current = await getTemplateVersion(database.db, workspace.id, template.id);
    expect(current?.version.version).toBe(4);
  });

  it("gives concurrent saves distinct version numbers", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const { template } = await createTemplate(database.db, workspace.id, newsletter());
    const saves = await Promise.all([1, 2, 3, 4].map((n) => saveVersion(database.db, workspace.id, template.id, { subject: `Save ${n}` })));
    expect(saves.map((save) => save.version.version).sort()).toEqual([2, 3, 4, 5]);
    const [row] = await database.db.select().from(templates).where(and(eq(templates.workspaceId, workspace.id), eq(templates.id, template.id)));
    expect(row.currentVersion).toBe(5);
  });

  it("personalises per recipient: defaults, attributes, event properties, data, coupon, missing variables", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const { version } = await createTemplate(database.db, workspace.id, newsletter());
    const [ann] = await database.db
      .insert(contacts)
      .values({ workspaceId: workspace.id, email: "ann@example.com", firstName: "Ann", attributes: { plan: "pro" } })
      .returning();

    const forAnn = await personalise(version, context(contactContext(ann)));
    expect(forAnn.subject).toBe("News for Ann");
    expect(forAnn.preheader).toBe("Hi Ann");
    expect(forAnn.html).toContain("Hello Ann");
    expect(forAnn.text).toContain("Plan: pro; SKU-9; order A-7; SAVE10; Acme & Co");
    expect(forAnn.html).toContain("Acme &amp; Co");
    expect(forAnn.text).toContain("Missing: [] []");
    expect(forAnn.html).toContain(`https://example.com/more?c=${ann.id}`);
    expect(forAnn.html).toContain('href="https://t.example/u/abc?x=1&amp;y=2"');
    expect(forAnn.html).toContain("1 Harbour Road, Portsmouth");
    for (const part of [forAnn.subject, forAnn.html!, forAnn.text]) {
      expect(part).not.toContain("undefined");
      expect(part).not.toContain("{{");
    }

    // No name, no attributes, no event, no coupon: the defaults, never "undefined".
    const [bare] = await database.db.insert(contacts).values({ workspaceId: workspace.id, email: "bare@example.com" }).returning();
    const forBare = await personalise(version, context(contactContext(bare), { event: undefined, coupon: undefined, data: {} }));
    expect(forBare.subject).toBe("News for you");
    expect(forBare.html).toContain("Hello there");
    expect(forBare.text).toContain("Plan: free; ; order ; ; Acme & Co");
    expect(forBare.preheader).toBe("Hi");
    for (const part of [forBare.subject, forBare.html!, forBare.text]) expect(part).not.toContain("undefined");

    // No contact at all (a test send with sample data off).
    const nobody = await personalise(version, context(null));
    expect(nobody.subject).toBe("News for you");
  });

  it("escapes contact-supplied values in HTML, but not in the subject or the text", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const { version } = await createTemplate(database.db, workspace.id, newsletter());
    const [mallory] = await database.db
      .insert(contacts)
      .values({ workspaceId: workspace.id, email: "m@example.com", firstName: '<img src=x onerror="alert(1)">', attributes: { plan: "<b>gold</b>" } })
      .returning();
    const rendered = await personalise(version, context(contactContext(mallory)));
    expect(rendered.html).not.toContain("<img src=x");
    expect(rendered.html).not.toContain("<b>gold</b>");
    expect(rendered.html).toContain("Hello &lt;img src=x onerror=&#34;alert(1)&#34;&gt;");
    expect(rendered.html).toContain("&lt;b&gt;gold&lt;/b&gt;");
    expect(rendered.subject).toBe('News for <img src=x onerror="alert(1)">');
    expect(rendered.text).toContain("Plan: <b>gold</b>");
  });

  it("puts the unsubscribe link in marketing layouts and leaves it out of transactional ones", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const base = { name: "t", subject: "s", content: { component: "transactional", props: {} } };
    const receipt = await createTemplate(database.db, workspace.id, templateCreateSchema.parse({ ...base, kind: "transactional" }));
    expect(receipt.version.html).not.toContain("links.unsubscribe");
    expect(receipt.version.html).toContain("{{ workspace.postal_address }}");
    const welcome = await createTemplate(database.db, workspace.id, templateCreateSchema.parse({ ...base, content: { component: "welcome", props: {} } }));
    expect(welcome.version.html).toContain("{{ links.unsubscribe }}");

    // A visual template follows its kind: switching to transactional re-renders without the link.
    const visual = await createTemplate(database.db, workspace.id, templateCreateSchema.parse({ name: "v", subject: "s", format: "visual", content: { document: starterDocument } }));
    expect(visual.version.html).toContain("{{ links.unsubscribe }}");
    expect(visual.version.html).toContain('Hello {{ contact.first_name | default: "there" }}');
    const switched = await updateTemplate(database.db, workspace.id, visual.template.id, { kind: "transactional" });
    expect(switched.template.kind).toBe("transactional");
    expect(switched.version?.html).not.toContain("links.unsubscribe");
    const rendered = await personalise(switched.version!, sampleContext({ name: "Acme", postal_address: null }));
    expect(rendered.html).toContain("Hello Ada");
  });

  it("renders sms, inbox and webhook templates as Liquid text", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const ctx = context({ ...contactContext({ id: "c1", email: null, phone: "+1", firstName: "Zoe", lastName: null, externalId: null, timezone: null, locale: null, attributes: {}, tags: [] } as never) });
    const sms = await createTemplate(database.db, workspace.id, templateCreateSchema.parse({ name: "sms", channel: "sms", content: { text: "Hi {{ contact.first_name }}, code {{ coupon.code }}" } }));
    expect(sms.template.format).toBe("text");
    expect(sms.version.html).toBeNull();
    expect(await personalise(sms.version, ctx)).toMatchObject({ text: "Hi Zoe, code SAVE10", html: undefined });

    const inbox = await createTemplate(database.db, workspace.id, templateCreateSchema.parse({ name: "inbox", channel: "inbox", content: { title: "For {{ contact.first_name }}", text: "<b>{{ data.order_id }}</b>", url: "https://app.example/o/{{ data.order_id }}" } }));
    expect(await personalise(inbox.version, ctx)).toMatchObject({ subject: "For Zoe", text: "<b>A-7</b>", url: "https://app.example/o/A-7" });

    const hook = await createTemplate(database.db, workspace.id, templateCreateSchema.parse({ name: "hook", channel: "webhook", content: { url: "https://hooks.example/in", text: '{"name": {{ contact.first_name | json }}, "sku": {{ event.properties.sku | json }}}' } }));
    const posted = await personalise(hook.version, ctx);
    expect(JSON.parse(posted.text)).toEqual({ name: "Zoe", sku: "SKU-9" });
    expect(posted.url).toBe("https://hooks.example/in");
  });

  it("refuses content that does not fit the channel, Liquid that does not parse, and a topic of another workspace", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const other = await createOwnedWorkspace(database.db);
    const paths = (body: unknown) => templateCreateSchema.safeParse(body).error?.issues.map((issue) => issue.path.join("."));
    expect(paths({ name: "x", subject: "Hi {{ contact.first_name ", content: { component: "welcome" } })).toEqual(["subject"]);
    expect(paths({ name: "x", subject: "Hi", content: { component: "nope" } })).toEqual(["content.component"]);
    expect(paths({ name: "x", subject: "Hi", content: { component: "welcome", props: { heading: "{% if %}" } } })).toEqual(["content.props.heading"]);
    expect(paths({ name: "x", content: { component: "welcome" } })).toEqual(["subject"]);
    expect(templateCreateSchema.safeParse({ name: "x", channel: "sms", content: { text: "" } }).success).toBe(false);
    expect(templateCreateSchema.safeParse({ name: "x", channel: "sms", format: "visual", content: { text: "hi" } }).success).toBe(false);

    const [foreign] = await database.db.insert(topics).values({ workspaceId: other.workspace.id, name: "Theirs" }).returning();
    await expect(createTemplate(database.db, workspace.id, newsletter(), null).then(({ template }) => updateTemplate(database.db, workspace.id, template.id, { topic_id: foreign.id }))).rejects.toMatchObject({ code: "validation_failed" });
    const [mine] = await database.db.insert(topics).values({ workspaceId: workspace.id, name: "News" }).returning();
    const { template } = await createTemplate(database.db, workspace.id, { ...newsletter(), topic_id: mine.id });
    expect(template.topicId).toBe(mine.id);
  });

  it("archives: gone from the list, kept for history, no longer editable, invisible to other workspaces", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const other = await createOwnedWorkspace(database.db);
    const { template } = await createTemplate(database.db, workspace.id, newsletter());
    expect(await getTemplateVersion(database.db, other.workspace.id, template.id)).toBeUndefined();
    expect((await listTemplates(database.db, workspace.id)).map((row) => row.id)).toEqual([template.id]);
    await archiveTemplate(database.db, workspace.id, template.id);
    expect(await listTemplates(database.db, workspace.id)).toEqual([]);
    expect((await listTemplates(database.db, workspace.id, { archived: true })).map((row) => row.id)).toEqual([template.id]);
    await expect(saveVersion(database.db, workspace.id, template.id, { subject: "again" })).rejects.toMatchObject({ code: "not_found" });
    const rows = await database.db.select().from(templateVersions).where(eq(templateVersions.templateId, template.id));
    expect(rows).toHaveLength(1);
  });
});

import { describe, expect, it } from "vitest";
import type { TemplateVersion } from "@/db/schema";
import { personalise, renderLayout, sampleContext } from "./render";
import { starterDocument } from "./templates";

const workspace = { name: "Acme", postal_address: "1 Quay Street" };

function version(fields: Partial<TemplateVersion>): TemplateVersion {
  return { workspaceId: "w", templateId: crypto.randomUUID(), version: 1, subject: null, preheader: null, fromName: null, fromEmail: null, replyTo: null, content: {}, html: null, text: null, createdBy: null, createdAt: new Date(), ...fields };
}

describe("renderLayout", () => {
  it("renders every code component with the shared footer and a plain-text part", async () => {
    for (const component of ["welcome", "newsletter", "transactional"]) {
      const { html, text } = await renderLayout({ channel: "email", format: "code", kind: "marketing", content: { component, props: {} }, preheader: "Pre {{ contact.first_name }}" });
      expect(html).toMatch(/^<!DOCTYPE html/);
      expect(html).toContain("{{ workspace.postal_address }}");
      expect(html).toContain("Pre {{ contact.first_name }}");
      expect(text).toContain("{{ workspace.postal_address }}");
      expect(text).not.toContain("<");
      // The preheader is hidden text in HTML, not a line of the text part.
      expect(text).not.toContain("Pre {{");
      expect(html!.includes("{{ links.unsubscribe }}")).toBe(component !== "transactional");
    }
  });

  it("keeps headings' case in the text part (Liquid names are case-sensitive)", async () => {
    const { text } = await renderLayout({ channel: "email", format: "code", kind: "marketing", content: { component: "welcome", props: { heading: "Hi {{ contact.first_name }}" } } });
    expect(text).toContain("Hi {{ contact.first_name }}");
  });

  it("renders a visual editor document through react-email", async () => {
    const { html, text } = await renderLayout({ channel: "email", format: "visual", kind: "marketing", content: { document: starterDocument as never } });
    expect(html).toMatch(/<h1[^>]*>.*Hello \{\{ contact.first_name \| default: "there" \}\}/s);
    expect(text).toContain("Write your message here.");
  });

  it("refuses a document the editor cannot read", async () => {
    await expect(renderLayout({ channel: "email", format: "visual", kind: "marketing", content: { document: { type: "doc", content: [{ type: "rocket" }] } } })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("has no layout for text channels", async () => {
    expect(await renderLayout({ channel: "sms", format: "text", kind: "marketing", content: { text: "Hi" } })).toEqual({ html: null, text: "Hi" });
  });
});

describe("personalise", () => {
  it("fills subject, from, reply-to and preheader per recipient, trims empty ones away", async () => {
    const rendered = await personalise(
      version({ subject: "  Hello\n{{ contact.first_name }} ", preheader: "{{ contact.nothing }}", fromName: "{{ workspace.name }} team", fromEmail: "news@acme.example", replyTo: "", text: "Hi {{ contact.first_name }}" }),
      sampleContext(workspace),
    );
    expect(rendered).toMatchObject({ subject: "Hello Ada", fromName: "Acme team", fromEmail: "news@acme.example", text: "Hi Ada" });
    expect(rendered.preheader).toBeUndefined();
    expect(rendered.replyTo).toBeUndefined();
  });

  it("reuses the parsed version: a second call sees the cache, not a re-parse of changed text", async () => {
    const row = version({ subject: "A {{ contact.first_name }}", text: "x" });
    expect((await personalise(row, sampleContext(workspace))).subject).toBe("A Ada");
    // Versions are frozen; the cache is keyed by (workspace, template, version).
    expect((await personalise({ ...row, subject: "B" }, sampleContext(workspace))).subject).toBe("A Ada");
    expect((await personalise({ ...row, version: 2, subject: "B" }, sampleContext(workspace))).subject).toBe("B");
  });
});

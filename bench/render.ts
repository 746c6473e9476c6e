// npm run bench:render — per-recipient cost of a realistic newsletter (10 sections, a dozen
// links, Liquid in subject, texts, links and footer), two ways, same run, same machine:
//   1. what Tideline does: the react-email layout rendered ONCE for the version, then
//      personalise() per recipient (cached parsed Liquid → HTML, escaped, plus subject and text);
//   2. the baseline: react-email's render() per recipient (React with that recipient's values,
//      then the plain-text part from the HTML), as a sender without a stored layout would.
// Prints recipients/s for both and the ratio. Env: BENCH_RECIPIENTS (default 20,000),
// BENCH_BASELINE_RECIPIENTS (default 500; React is slow, a smaller sample is enough).
import os from "node:os";
import { createElement } from "react";
import { render, toPlainText } from "@react-email/render";
import type { JsonObject, TemplateVersion } from "@/db/schema";
import Newsletter, { type NewsletterProps } from "@/emails/newsletter";
import { personalise, renderLayout, type RenderContext } from "@/lib/messages/render";

const recipients = Number(process.env.BENCH_RECIPIENTS || 20_000);
const baselineRecipients = Number(process.env.BENCH_BASELINE_RECIPIENTS || 500);

const topics = ["Journeys", "Segments", "Deliverability", "Inbox", "Webhooks", "Scoring", "Coupons", "Analytics", "Imports", "Security"];

// The props hold Liquid: rendered once into the layout, filled per recipient.
const liquidProps: NewsletterProps = {
  preheader: 'What is new for {{ contact.first_name | default: "you" }} this month',
  title: "This month at {{ workspace.name }}",
  intro: 'Hi {{ contact.first_name | default: "there" }}, you are on the {{ contact.attributes.plan | default: "free" }} plan. Here is what shipped.',
  sections: topics.map((topic, index) => ({
    heading: `${topic}: what changed`,
    body: `${topic} got faster and simpler. ${index % 3 === 0 ? "As a {{ contact.attributes.plan | default: \"free\" }} customer you get it today." : "Rolling out to every workspace this week."} Your last order was {{ event.properties.order_id | default: "none yet" }}.`,
    imageUrl: index % 4 === 0 ? `https://cdn.example.com/news/${index}.png` : undefined,
    linkLabel: `Read about ${topic.toLowerCase()}`,
    linkUrl: `https://example.com/blog/${topic.toLowerCase()}?cid={{ contact.id }}`,
  })),
  ctaLabel: "Use code {{ coupon.code | default: \"WELCOME\" }}",
  ctaUrl: "https://example.com/shop?code={{ coupon.code }}",
};

function contextFor(index: number): RenderContext {
  return {
    contact: {
      id: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
      email: `reader${index}@example.com`,
      phone: null,
      first_name: index % 7 === 0 ? null : `Reader<${index}>`,
      last_name: "Example",
      external_id: `u${index}`,
      timezone: "Europe/London",
      locale: "en",
      attributes: { plan: index % 2 ? "pro" : "team" },
      tags: ["newsletter"],
    },
    event: { name: "Order Completed", properties: { order_id: `A-${index}` } },
    data: {},
    workspace: { name: "Acme & Co", postal_address: "1 Harbour Road, Portsmouth PO1 2AB" },
    links: { unsubscribe: `https://t.example.com/u/${index}?sig=abc`, preferences: `https://t.example.com/u/${index}/prefs` },
    message: { id: `m-${index}` },
    coupon: { code: `SAVE-${index}` },
  };
}

// The same newsletter with one recipient's values put in by plain JavaScript (the cheapest
// possible personalisation, so the baseline measures React, not a template engine).
function propsFor(context: RenderContext): NewsletterProps {
  const c = context.contact!;
  const name = c.first_name ?? "there";
  const plan = String(c.attributes.plan ?? "free");
  const order = String(context.event?.properties.order_id ?? "none yet");
  return {
    preheader: `What is new for ${c.first_name ?? "you"} this month`,
    title: `This month at ${context.workspace.name}`,
    intro: `Hi ${name}, you are on the ${plan} plan. Here is what shipped.`,
    sections: topics.map((topic, index) => ({
      heading: `${topic}: what changed`,
      body: `${topic} got faster and simpler. ${index % 3 === 0 ? `As a ${plan} customer you get it today.` : "Rolling out to every workspace this week."} Your last order was ${order}.`,
      imageUrl: index % 4 === 0 ? `https://cdn.example.com/news/${index}.png` : undefined,
      linkLabel: `Read about ${topic.toLowerCase()}`,
      linkUrl: `https://example.com/blog/${topic.toLowerCase()}?cid=${c.id}`,
    })),
    ctaLabel: `Use code ${String(context.coupon?.code ?? "WELCOME")}`,
    ctaUrl: `https://example.com/shop?code=${String(context.coupon?.code ?? "")}`,
  };
}

async function main() {
  console.log(`Render benchmark: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}`);

  const layoutStarted = performance.now();
  const layout = await renderLayout({ channel: "email", format: "code", kind: "marketing", content: { component: "newsletter", props: liquidProps as unknown as JsonObject }, preheader: liquidProps.preheader });
  const layoutMs = performance.now() - layoutStarted;
  const links = (layout.html!.match(/<a\s/g) ?? []).length;
  console.log(`Layout: ${Math.round(layout.html!.length / 1024)} KB HTML, ${links} links, rendered once in ${layoutMs.toFixed(1)} ms`);

  const version: TemplateVersion = {
    workspaceId: "bench",
    templateId: "newsletter",
    version: 1,
    subject: '{{ contact.first_name | default: "Hi" }}, news and more from {{ workspace.name }}',
    preheader: liquidProps.preheader!,
    fromName: "{{ workspace.name }}",
    fromEmail: "news@acme.example",
    replyTo: null,
    content: {},
    html: layout.html,
    text: layout.text,
    createdBy: null,
    createdAt: new Date(),
  };

  // Both paths warm up first (JIT, caches), then are timed over their whole sample.
  let bytes = 0;
  for (let i = 0; i < 200; i++) await personalise(version, contextFor(i));
  const liquidStarted = performance.now();
  for (let i = 0; i < recipients; i++) {
    const rendered = await personalise(version, contextFor(i));
    bytes += rendered.html!.length + rendered.text.length;
  }
  const liquidSeconds = (performance.now() - liquidStarted) / 1000;
  const liquidRate = recipients / liquidSeconds;

  const sample = await personalise(version, contextFor(3));
  if (sample.html!.includes("{{") || sample.html!.includes("undefined") || !sample.html!.includes("Reader&lt;3&gt;")) throw new Error("personalised HTML is wrong");

  for (let i = 0; i < 20; i++) toPlainText(await render(createElement(Newsletter, propsFor(contextFor(i)))));
  const reactStarted = performance.now();
  for (let i = 0; i < baselineRecipients; i++) {
    const html = await render(createElement(Newsletter, propsFor(contextFor(i))));
    bytes += html.length + toPlainText(html).length;
  }
  const reactSeconds = (performance.now() - reactStarted) / 1000;
  const reactRate = baselineRecipients / reactSeconds;

  const fmt = (value: number) => Math.round(value).toLocaleString("en-US");
  console.log("");
  console.log(`layout once + Liquid per recipient  ${fmt(recipients).padStart(7)} recipients in ${liquidSeconds.toFixed(2)} s  →  ${fmt(liquidRate).padStart(7)} recipients/s  (target ≥ 2,000/s)`);
  console.log(`react-email render per recipient     ${fmt(baselineRecipients).padStart(7)} recipients in ${reactSeconds.toFixed(2)} s  →  ${fmt(reactRate).padStart(7)} recipients/s`);
  console.log(`ratio                                ${(liquidRate / reactRate).toFixed(1)}x`);
  console.log(`(${Math.round(bytes / 1024 / 1024)} MB rendered; one process, one core)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

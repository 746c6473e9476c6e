import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { and, asc, eq } from "drizzle-orm";
import { getDatabase, type Db } from "@/db/client";
import { contactConsents, contacts, events, messageContents, messageEvents, messages, suppressions, type MessageStatus } from "@/db/schema";
import { checkEligibility } from "@/lib/messages/eligibility";
import { trackLinks } from "@/lib/messages/tracking";
import { linkSubject, listUnsubscribeHeaders, preferenceCentre, savePreferences, unsubscribeLinks } from "@/lib/messages/unsubscribe";
import { suppressAddress } from "@/lib/messages/suppressions";
import { createTopic, topicChoiceCounts } from "@/lib/messages/topics";
import { contactSegments, createSegment } from "@/lib/segments/manage";
import * as clickRoute from "@/app/t/c/[token]/route";
import * as openRoute from "@/app/t/o/[token]/route";
import * as unsubscribeRoute from "@/app/u/[token]/route";
import * as saveRoute from "@/app/u/p/[token]/save/route";
import { createOwnedWorkspace, uniqueEmail } from "./accounts";

const origin = "https://mail.tideline.test";
const person = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15";

type Route = (request: NextRequest, route: { params: Promise<{ token: string }> }) => Promise<Response>;

function hit(handler: Route, path: string, token: string, init: { method?: string; ua?: string | null; ip?: string; body?: string; contentType?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.ua !== null) headers["user-agent"] = init.ua ?? person;
  if (init.ip) headers["x-forwarded-for"] = init.ip;
  if (init.contentType) headers["content-type"] = init.contentType;
  return handler(new NextRequest(new URL(path, "http://localhost"), { method: init.method ?? "GET", headers, body: init.body }), {
    params: Promise.resolve({ token }),
  });
}

/** The token at the end of a tracked URL. */
const tokenOf = (url: string, prefix: string) => url.slice(url.indexOf(prefix) + prefix.length).replace(/\.gif$/, "");

/**
 * Open and click tracking, bot flags, one-click unsubscribe and the preference centre,
 * through the real route handlers, against the process-wide database.
 */
export function emailTrackingSuite(kind: "embedded" | "postgres") {
  describe(`email tracking and unsubscribe on ${kind}`, () => {
    let db: Db;

    beforeAll(async () => {
      const database = await getDatabase();
      expect(database.kind).toBe(kind);
      db = database.db;
    });
    afterAll(async () => {
      await (await getDatabase()).close();
      (globalThis as { tidelineDatabase?: unknown }).tidelineDatabase = undefined;
    });

    /** A workspace, a contact and a marketing email "sent" a minute ago with three links, tracked. */
    async function sentEmail(options: { status?: MessageStatus; sentSecondsAgo?: number; utm?: { source?: string; medium?: string; campaign?: string }; locale?: string; source?: string } = {}) {
      const { workspace } = await createOwnedWorkspace(db);
      const email = uniqueEmail("reader");
      const [contact] = await db.insert(contacts).values({ workspaceId: workspace.id, email, firstName: "Li", locale: options.locale ?? null }).returning();
      const sentAt = new Date(Date.now() - (options.sentSecondsAgo ?? 60) * 1000);
      const [message] = await db
        .insert(messages)
        .values({
          workspaceId: workspace.id,
          idempotencyKey: `test:${contact.id}:${Math.random()}`,
          source: options.source ?? "api",
          contactId: contact.id,
          channel: "email",
          kind: "marketing",
          toAddress: email,
          subject: "Spring sale",
          status: options.status ?? "sent",
          sentAt,
        })
        .returning();
      const links = await unsubscribeLinks(db, { workspaceId: workspace.id, contactId: contact.id, messageId: message.id, origin });
      const html = `<html><body>
        <p><a href="https://shop.example.com/spring?ref=mail&amp;x=1">Shop</a></p>
        <p><a class="cta" href='https://shop.example.com/boots?utm_source=partner'>Boots</a></p>
        <p><a href="https://blog.example.com/post#part-2">Read</a> <a href="mailto:help@example.com">Mail us</a> <a href="tel:+861234">Call</a> <a href="#top">Top</a></p>
        <p><a href="${links.oneClick}">Unsubscribe</a> · <a href="${links.preferences}">Preferences</a></p>
        </body></html>`;
      const tracked = await trackLinks(db, { workspaceId: workspace.id, messageId: message.id, html, origin, trackOpens: true, trackClicks: true, utm: options.utm });
      await db.insert(messageContents).values({ workspaceId: workspace.id, messageId: message.id, html: tracked.html, links: tracked.links });
      const clickUrls = [...tracked.html.matchAll(/href="([^"]*\/t\/c\/[^"]+)"/g)].map((match) => match[1]);
      const pixel = /src="([^"]*\/t\/o\/[^"]+)"/.exec(tracked.html)?.[1] ?? "";
      return { workspace, contact, message, links, tracked, clickUrls, pixel, email };
    }

    const reload = async (workspaceId: string, id: string) => {
      const [row] = await db
        .select()
        .from(messages)
        .where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, id)));
      return row;
    };
    const hitsOf = (workspaceId: string, messageId: string) =>
      db
        .select()
        .from(messageEvents)
        .where(and(eq(messageEvents.workspaceId, workspaceId), eq(messageEvents.messageId, messageId)))
        .orderBy(asc(messageEvents.id));
    const timelineOf = (workspaceId: string, contactId: string) =>
      db
        .select()
        .from(events)
        .where(and(eq(events.workspaceId, workspaceId), eq(events.contactId, contactId)))
        .orderBy(asc(events.id));

    it("rewrites every http(s) link to a signed click link, keeps mailto/tel/#/unsubscribe links, adds UTM and the pixel", async () => {
      const { tracked, clickUrls, pixel, links } = await sentEmail({ utm: { source: "tideline", medium: "email", campaign: "spring" } });
      expect(clickUrls).toHaveLength(3);
      expect(clickUrls.every((url) => url.startsWith(`${origin}/t/c/`))).toBe(true);
      expect(tracked.links[0]).toBe("https://shop.example.com/spring?ref=mail&x=1&utm_source=tideline&utm_medium=email&utm_campaign=spring");
      // A link's own utm_source wins; the missing ones are added.
      expect(new URL(tracked.links[1]).searchParams.getAll("utm_source")).toEqual(["partner"]);
      expect(new URL(tracked.links[1]).searchParams.get("utm_campaign")).toBe("spring");
      expect(tracked.links[2]).toBe("https://blog.example.com/post?utm_source=tideline&utm_medium=email&utm_campaign=spring#part-2");
      for (const kept of ['href="mailto:help@example.com"', 'href="tel:+861234"', 'href="#top"', `href="${links.oneClick}"`, `href="${links.preferences}"`]) {
        expect(tracked.html).toContain(kept);
      }
      expect(tracked.html).toContain('class="cta"');
      expect(pixel.startsWith(`${origin}/t/o/`) && pixel.endsWith(".gif")).toBe(true);
      expect(tracked.html).toMatch(/<img src="[^"]+\/t\/o\/[^"]+\.gif" width="1" height="1" alt=""[^>]*>\s*<\/body>/);
    });

    it("redirects a click on link 2 to link 2 with its UTM, moves the message to clicked and adds the timeline events", async () => {
      const { workspace, contact, message, clickUrls, tracked } = await sentEmail({ utm: { source: "tideline", campaign: "spring" } });
      const response = await hit(clickRoute.GET, clickUrls[1], tokenOf(clickUrls[1], "/t/c/"));
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe(tracked.links[1]);
      expect(response.headers.get("location")).toContain("utm_campaign=spring");

      const after = await reload(workspace.id, message.id);
      expect(after.status).toBe("clicked");
      expect(after.clickedAt).not.toBeNull();
      expect(after.openedAt).not.toBeNull(); // a click implies an open
      const hits = await hitsOf(workspace.id, message.id);
      expect(hits.map((row) => [row.type, row.bot])).toEqual([
        ["opened", false],
        ["clicked", false],
      ]);
      const timeline = await timelineOf(workspace.id, contact.id);
      expect(timeline.map((event) => event.name)).toEqual(["Email Opened", "Email Clicked"]);
      const clicked = timeline[1];
      expect(clicked.type).toBe("track");
      expect(clicked.processedAt).not.toBeNull();
      expect(clicked.messageId).toBe(`click:${hits[1].id}`);
      expect(clicked.properties).toMatchObject({ message_id: message.id, url: tracked.links[1] });

      // A second click is recorded but the first click time and the status stay.
      await hit(clickRoute.GET, clickUrls[0], tokenOf(clickUrls[0], "/t/c/"));
      const again = await reload(workspace.id, message.id);
      expect(again.clickedAt?.getTime()).toBe(after.clickedAt?.getTime());
      expect(again.status).toBe("clicked");
    });

    it("puts a clicker into a real-time segment on Email Clicked, and a bot's click does not", async () => {
      const human = await sentEmail();
      const rule = { performed: { event: "Email Clicked", within_days: 30 } };
      const segment = await createSegment(db, human.workspace.id, { name: "Clicked lately", rule });
      expect(await contactSegments(db, human.workspace.id, human.contact.id)).toEqual([]);
      await hit(clickRoute.GET, human.clickUrls[0], tokenOf(human.clickUrls[0], "/t/c/"));
      expect((await contactSegments(db, human.workspace.id, human.contact.id)).map((row) => row.segment_id)).toEqual([segment.id]);

      const scanner = await sentEmail();
      await createSegment(db, scanner.workspace.id, { name: "Clicked lately", rule });
      await hit(clickRoute.GET, scanner.clickUrls[0], tokenOf(scanner.clickUrls[0], "/t/c/"), { ua: "python-requests/2.31" });
      expect(await contactSegments(db, scanner.workspace.id, scanner.contact.id)).toEqual([]);
    });

    it("answers a forged or altered click token with a 400 page, never a redirect", async () => {
      const { workspace, message, clickUrls } = await sentEmail();
      const token = tokenOf(clickUrls[0], "/t/c/");
      const [body, signature] = token.split(".");
      const payload = JSON.parse(Buffer.from(body, "base64url").toString());
      const altered = `${Buffer.from(JSON.stringify({ ...payload, i: 2 })).toString("base64url")}.${signature}`;
      const forgedUrl = `${Buffer.from(JSON.stringify({ ...payload, u: "https://evil.example/" })).toString("base64url")}.${signature}`;
      for (const bad of [altered, forgedUrl, `${body}.${signature.slice(0, -2)}xx`, "nonsense", `${body}.`]) {
        const response = await hit(clickRoute.GET, `/t/c/${bad}`, bad);
        expect(response.status).toBe(400);
        expect(response.headers.get("location")).toBeNull();
        expect(await response.text()).toContain("This link does not work");
      }
      // A validly signed index past the stored links is refused too.
      const { signToken } = await import("@/lib/messages/secrets");
      const outside = await signToken(db, { ...payload, i: 7 });
      expect((await hit(clickRoute.GET, `/t/c/${outside}`, outside)).status).toBe(400);
      expect(await hitsOf(workspace.id, message.id)).toEqual([]);
      expect((await reload(workspace.id, message.id)).status).toBe("sent");
    });

    it("records a human open (GIF, no-cache), moves sent → opened once, and a bad token still gets the GIF", async () => {
      const { workspace, contact, message, pixel } = await sentEmail();
      const response = await hit(openRoute.GET, pixel, tokenOf(pixel, "/t/o/") + ".gif");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/gif");
      expect(response.headers.get("cache-control")).toContain("no-cache");
      expect(Buffer.from(await response.arrayBuffer()).subarray(0, 6).toString()).toBe("GIF89a");
      const after = await reload(workspace.id, message.id);
      expect(after.status).toBe("opened");
      expect(after.openedAt).not.toBeNull();
      expect((await timelineOf(workspace.id, contact.id)).map((event) => event.name)).toEqual(["Email Opened"]);

      const bad = await hit(openRoute.GET, "/t/o/abc.def.gif", "abc.def.gif");
      expect(bad.status).toBe(200);
      expect(bad.headers.get("content-type")).toBe("image/gif");
      expect(await hitsOf(workspace.id, message.id)).toHaveLength(1);
    });

    it("flags bot, Apple privacy proxy and HEAD opens without changing the status; counts Google's image proxy as a person", async () => {
      const { workspace, message, pixel } = await sentEmail();
      const token = tokenOf(pixel, "/t/o/") + ".gif";
      await hit(openRoute.GET, pixel, token, { ua: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" });
      await hit(openRoute.GET, pixel, token, { ua: "Mozilla/5.0", ip: "17.58.101.12" });
      await hit(openRoute.GET, pixel, token, { ip: "17.120.4.8" });
      await hit(openRoute.HEAD, pixel, token, { method: "HEAD" });
      await hit(openRoute.GET, pixel, token, { ua: null });
      let hits = await hitsOf(workspace.id, message.id);
      expect(hits.map((row) => [row.bot, row.reason])).toEqual([
        [true, "user_agent"],
        [true, "apple_privacy_proxy"],
        [true, "apple_privacy_proxy"],
        [true, "head_request"],
        [true, "no_user_agent"],
      ]);
      let after = await reload(workspace.id, message.id);
      expect(after.status).toBe("sent");
      expect(after.openedAt).toBeNull();

      await hit(openRoute.GET, pixel, token, { ua: "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)" });
      hits = await hitsOf(workspace.id, message.id);
      expect(hits.at(-1)?.bot).toBe(false);
      after = await reload(workspace.id, message.id);
      expect(after.status).toBe("opened");
    });

    it("flags a scanner's click within seconds of sending, and a burst over every link, and still redirects them", async () => {
      const soon = await sentEmail({ sentSecondsAgo: 2 });
      const response = await hit(clickRoute.GET, soon.clickUrls[0], tokenOf(soon.clickUrls[0], "/t/c/"));
      expect(response.status).toBe(302);
      expect((await hitsOf(soon.workspace.id, soon.message.id)).map((row) => [row.type, row.bot, row.reason])).toEqual([["clicked", true, "too_soon"]]);
      const afterSoon = await reload(soon.workspace.id, soon.message.id);
      expect(afterSoon.status).toBe("sent");
      expect(afterSoon.clickedAt).toBeNull();
      expect(await timelineOf(soon.workspace.id, soon.contact.id)).toEqual([]);

      const burst = await sentEmail();
      for (const url of burst.clickUrls) await hit(clickRoute.GET, url, tokenOf(url, "/t/c/"));
      const clicks = (await hitsOf(burst.workspace.id, burst.message.id)).filter((row) => row.type === "clicked");
      expect(clicks).toHaveLength(3);
      expect(clicks.every((row) => row.bot)).toBe(true);

      const head = await sentEmail();
      await hit(clickRoute.HEAD, head.clickUrls[0], tokenOf(head.clickUrls[0], "/t/c/"), { method: "HEAD" });
      expect((await hitsOf(head.workspace.id, head.message.id)).map((row) => row.reason)).toEqual(["head_request"]);
      expect((await reload(head.workspace.id, head.message.id)).status).toBe("sent");
    });

    it("never moves a bounced or complained message back, and never a clicked one back to opened", async () => {
      const bounced = await sentEmail({ status: "bounced" });
      await hit(clickRoute.GET, bounced.clickUrls[0], tokenOf(bounced.clickUrls[0], "/t/c/"));
      expect((await reload(bounced.workspace.id, bounced.message.id)).status).toBe("bounced");
      const complained = await sentEmail({ status: "complained" });
      await hit(openRoute.GET, complained.pixel, tokenOf(complained.pixel, "/t/o/"));
      expect((await reload(complained.workspace.id, complained.message.id)).status).toBe("complained");
      const clicked = await sentEmail({ status: "clicked" });
      await hit(openRoute.GET, clicked.pixel, tokenOf(clicked.pixel, "/t/o/"));
      expect((await reload(clicked.workspace.id, clicked.message.id)).status).toBe("clicked");
      const delivered = await sentEmail({ status: "delivered" });
      await hit(openRoute.GET, delivered.pixel, tokenOf(delivered.pixel, "/t/o/"));
      expect((await reload(delivered.workspace.id, delivered.message.id)).status).toBe("opened");
    });

    it("builds the RFC 8058 header pair, with the mailto from UNSUBSCRIBE_MAILTO when set", async () => {
      const { workspace, contact, message } = await sentEmail();
      const without = await unsubscribeLinks(db, { workspaceId: workspace.id, contactId: contact.id, messageId: message.id, origin });
      expect(without.mailto).toBeUndefined();
      expect(listUnsubscribeHeaders(without)).toEqual({
        "List-Unsubscribe": `<${without.oneClick}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      });
      process.env.UNSUBSCRIBE_MAILTO = "unsubscribe@mail.tideline.test";
      try {
        const withMailto = await unsubscribeLinks(db, { workspaceId: workspace.id, contactId: contact.id, messageId: message.id, origin });
        expect(withMailto.mailto).toMatch(/^mailto:unsubscribe@mail\.tideline\.test\?subject=unsubscribe%20/);
        expect(listUnsubscribeHeaders(withMailto)["List-Unsubscribe"]).toBe(`<${withMailto.mailto}>, <${withMailto.oneClick}>`);
      } finally {
        delete process.env.UNSUBSCRIBE_MAILTO;
      }
      expect(without.oneClick.startsWith(`${origin}/u/`)).toBe(true);
      expect(without.preferences.startsWith(`${origin}/u/p/`)).toBe(true);
      // A preference link is not an unsubscribe link, and the other way round.
      expect(await linkSubject(db, tokenOf(without.preferences, "/u/p/"), "u")).toBeUndefined();
      expect(await linkSubject(db, tokenOf(without.oneClick, "/u/"), "p")).toBeUndefined();
    });

    it("GET of the one-click link does not unsubscribe; the one-click POST does at once, and the contact is then suppressed", async () => {
      const { workspace, contact, message, links, email } = await sentEmail();
      const token = tokenOf(links.oneClick, "/u/");
      const eligibility = () =>
        checkEligibility(db, { workspaceId: workspace.id, contactId: contact.id, channel: "email", kind: "marketing", topicId: null, address: email.toUpperCase() });
      expect(await eligibility()).toEqual({ ok: true });

      const get = await hit(unsubscribeRoute.GET, links.oneClick, token);
      expect(get.status).toBe(303);
      expect(get.headers.get("location")).toBe(`/u/${token}/confirm`);
      expect(await eligibility()).toEqual({ ok: true });
      expect(await db.select().from(suppressions).where(eq(suppressions.workspaceId, workspace.id))).toEqual([]);

      // As Gmail and Yahoo send it: no cookie, no CSRF token, this body.
      const post = await hit(unsubscribeRoute.POST, links.oneClick, token, {
        method: "POST",
        body: "List-Unsubscribe=One-Click",
        contentType: "application/x-www-form-urlencoded",
      });
      expect(post.status).toBe(200);
      expect(await eligibility()).toEqual({ ok: false, reason: "suppressed:unsubscribed" });
      const [suppression] = await db.select().from(suppressions).where(eq(suppressions.workspaceId, workspace.id));
      expect(suppression).toMatchObject({ channel: "email", address: email.toLowerCase(), reason: "unsubscribed" });
      const [consent] = await db.select().from(contactConsents).where(eq(contactConsents.workspaceId, workspace.id));
      expect(consent).toMatchObject({ contactId: contact.id, channel: "email", status: "revoked", source: "one_click" });
      expect((await hitsOf(workspace.id, message.id)).map((row) => row.type)).toEqual(["unsubscribed"]);

      // An unsubscribe is from marketing: transactional mail (a receipt) still goes.
      const transactional = await checkEligibility(db, { workspaceId: workspace.id, contactId: contact.id, channel: "email", kind: "transactional", topicId: null, address: email });
      expect(transactional).toEqual({ ok: true });

      // Posting twice records one unsubscribe.
      await hit(unsubscribeRoute.POST, links.oneClick, token, { method: "POST", body: "List-Unsubscribe=One-Click" });
      expect((await hitsOf(workspace.id, message.id)).filter((row) => row.type === "unsubscribed")).toHaveLength(1);

      // The confirmation page's own button answers with a redirect to the "done" page.
      const fromPage = await hit(unsubscribeRoute.POST, links.oneClick, token, { method: "POST", body: "via=page", contentType: "application/x-www-form-urlencoded" });
      expect(fromPage.status).toBe(303);
      expect(fromPage.headers.get("location")).toBe(`/u/${token}/confirm?done=1`);

      const forged = await hit(unsubscribeRoute.POST, "/u/x.y", "x.y", { method: "POST", body: "List-Unsubscribe=One-Click" });
      expect(forged.status).toBe(400);
    });

    it("a topic left in the preference centre refuses that topic only; unsubscribe from all and back lifts only the unsubscribe", async () => {
      const { workspace, contact, links, email } = await sentEmail();
      const news = await createTopic(db, workspace.id, { name: "Newsletter", description: "Monthly", default_subscribed: true });
      const offers = await createTopic(db, workspace.id, { name: "Offers", description: null, default_subscribed: true });
      const beta = await createTopic(db, workspace.id, { name: "Beta invitations", description: null, default_subscribed: false });
      const token = tokenOf(links.preferences, "/u/p/");
      const subject = (await linkSubject(db, token, "p"))!;
      const check = (topicId: string | null, kind: "marketing" | "transactional" = "marketing") =>
        checkEligibility(db, { workspaceId: workspace.id, contactId: contact.id, channel: "email", kind, topicId, address: email });

      const before = await preferenceCentre(db, subject);
      expect(before?.topics.map((choice) => [choice.topic.name, choice.subscribed])).toEqual([
        ["Newsletter", true],
        ["Offers", true],
        ["Beta invitations", false],
      ]);
      expect(await check(beta.id)).toEqual({ ok: false, reason: "unsubscribed_topic" });

      // The plain form: Newsletter stays ticked, Offers unticked, Beta ticked.
      const body = new URLSearchParams([
        ["topic", news.id],
        ["topic", beta.id],
      ]).toString();
      const saved = await hit(saveRoute.POST, `/u/p/${token}/save`, token, { method: "POST", body, contentType: "application/x-www-form-urlencoded" });
      expect(saved.status).toBe(303);
      expect(saved.headers.get("location")).toBe(`/u/p/${token}?saved=1`);
      expect(await check(news.id)).toEqual({ ok: true });
      expect(await check(offers.id)).toEqual({ ok: false, reason: "unsubscribed_topic" });
      expect(await check(beta.id)).toEqual({ ok: true });
      expect(await check(null)).toEqual({ ok: true });
      expect(await check(offers.id, "transactional")).toEqual({ ok: true });
      const counts = await topicChoiceCounts(db, workspace.id);
      expect(counts.get(offers.id)).toEqual({ subscribed: 0, unsubscribed: 1 });
      expect(counts.get(beta.id)).toEqual({ subscribed: 1, unsubscribed: 0 });

      // Unsubscribe from all: marketing refused on every topic, transactional still allowed.
      await savePreferences(db, subject, { subscribedTopicIds: [news.id], unsubscribeAll: true });
      expect(await check(news.id)).toEqual({ ok: false, reason: "suppressed:unsubscribed" });
      expect(await check(null)).toEqual({ ok: false, reason: "suppressed:unsubscribed" });
      expect(await check(news.id, "transactional")).toEqual({ ok: true });
      expect((await preferenceCentre(db, subject))?.unsubscribedAll).toBe(true);

      // Back again: the unsubscribe is lifted, a hard bounce never is.
      await savePreferences(db, subject, { subscribedTopicIds: [news.id], unsubscribeAll: false });
      expect(await check(news.id)).toEqual({ ok: true });
      expect(await check(offers.id)).toEqual({ ok: false, reason: "unsubscribed_topic" });
      await suppressAddress(db, { workspaceId: workspace.id, channel: "email", address: email.toUpperCase(), reason: "hard_bounce" });
      await savePreferences(db, subject, { subscribedTopicIds: [news.id], unsubscribeAll: false });
      expect(await check(news.id)).toEqual({ ok: false, reason: "suppressed:hard_bounce" });
      expect(await check(null, "transactional")).toEqual({ ok: false, reason: "suppressed:hard_bounce" });
    });

    it("a test send's links show the pages but change nothing for the contact, and its clicks stay off the timeline", async () => {
      const { workspace, contact, message, links, clickUrls, email } = await sentEmail({ source: "test" });
      const token = tokenOf(links.oneClick, "/u/");
      const post = await hit(unsubscribeRoute.POST, links.oneClick, token, { method: "POST", body: "List-Unsubscribe=One-Click" });
      expect(post.status).toBe(200);
      expect(await checkEligibility(db, { workspaceId: workspace.id, contactId: contact.id, channel: "email", kind: "marketing", topicId: null, address: email })).toEqual({ ok: true });
      const subject = (await linkSubject(db, tokenOf(links.preferences, "/u/p/"), "p"))!;
      expect((await preferenceCentre(db, subject))?.test).toBe(true);

      await hit(clickRoute.GET, clickUrls[0], tokenOf(clickUrls[0], "/t/c/"));
      expect((await reload(workspace.id, message.id)).status).toBe("clicked");
      expect(await timelineOf(workspace.id, contact.id)).toEqual([]);
    });

    it("transactional mail is still allowed after unsubscribing when only consent was revoked; no_consent when revoked elsewhere", async () => {
      const { workspace, contact, email } = await sentEmail();
      const { setConsent } = await import("@/lib/messages/consent");
      await setConsent(db, { workspaceId: workspace.id, contactId: contact.id, channel: "email", status: "revoked", source: "one_click" });
      const input = { workspaceId: workspace.id, contactId: contact.id, channel: "email" as const, topicId: null, address: email };
      expect(await checkEligibility(db, { ...input, kind: "marketing" })).toEqual({ ok: false, reason: "unsubscribed_all" });
      expect(await checkEligibility(db, { ...input, kind: "transactional" })).toEqual({ ok: true });
      await setConsent(db, { workspaceId: workspace.id, contactId: contact.id, channel: "email", status: "revoked", source: "api" });
      expect(await checkEligibility(db, { ...input, kind: "marketing" })).toEqual({ ok: false, reason: "no_consent" });
      // Another workspace's suppression of the same address changes nothing here.
      const other = await createOwnedWorkspace(db);
      await suppressAddress(db, { workspaceId: other.workspace.id, channel: "email", address: email, reason: "complaint" });
      expect(await checkEligibility(db, { ...input, kind: "transactional" })).toEqual({ ok: true });
    });
  });
}

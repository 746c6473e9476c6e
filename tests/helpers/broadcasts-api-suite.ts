import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { and, eq } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { getDatabase, type Db } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { contacts, messageContents, messages } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import * as broadcastsRoute from "@/app/api/v1/broadcasts/route";
import * as broadcastRoute from "@/app/api/v1/broadcasts/[id]/route";
import * as sendRoute from "@/app/api/v1/broadcasts/[id]/send/route";
import * as pauseRoute from "@/app/api/v1/broadcasts/[id]/pause/route";
import * as resumeRoute from "@/app/api/v1/broadcasts/[id]/resume/route";
import * as cancelRoute from "@/app/api/v1/broadcasts/[id]/cancel/route";
import * as unscheduleRoute from "@/app/api/v1/broadcasts/[id]/unschedule/route";
import * as statsRoute from "@/app/api/v1/broadcasts/[id]/stats/route";
import * as audienceCountRoute from "@/app/api/v1/broadcasts/audience-count/route";
import * as openRoute from "@/app/t/o/[token]/route";
import { checkCompletion } from "@/lib/broadcasts/complete";
import { runFanout } from "@/lib/broadcasts/fanout";
import { deliverMessage } from "@/lib/messages/send";
import { createTemplate } from "@/lib/messages/templates";
import { changeListMembers } from "@/lib/segments/membership";
import { createSegment } from "@/lib/segments/manage";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createOwnedWorkspace } from "./accounts";
import { callRoute as call, type RouteCall } from "./route-call";

const browser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";

/** The broadcasts REST API against the process-wide database, pointed at `kind` by the calling file. */
export function broadcastsApiSuite(kind: "embedded" | "postgres") {
  describe(`broadcasts REST API on ${kind}`, () => {
    let db: Db;
    let boss: PgBoss;

    beforeAll(async () => {
      process.env.APP_URL = "https://mkt.example.test";
      const database = await getDatabase();
      expect(database.kind).toBe(kind);
      db = database.db;
      // Send and resume queue their fan-out in the same transaction, through the process-wide boss.
      boss = await createBoss(database, { maintenance: false });
      await ensureQueues(boss, jobs);
      setBoss(boss);
    });
    afterAll(async () => {
      await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
      (globalThis as { tidelineBoss?: unknown }).tidelineBoss = undefined;
      (globalThis as { tidelineBossReady?: unknown }).tidelineBossReady = undefined;
      await (await getDatabase()).close();
      (globalThis as { tidelineDatabase?: unknown }).tidelineDatabase = undefined;
    });

    /** A workspace with a secret key, an email template and a static list of `size` contacts. */
    async function setup(size = 3) {
      const { workspace } = await createOwnedWorkspace(db);
      const { token } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Server" });
      const { template } = await createTemplate(
        db,
        workspace.id,
        templateCreateSchema.parse({
          name: "Spring sale",
          channel: "email",
          format: "code",
          subject: "Spring sale, {{ contact.first_name }}",
          from_email: "news@example.test",
          content: { component: "newsletter", props: {} },
        }),
      );
      const people = await db
        .insert(contacts)
        .values(Array.from({ length: size }, (_, index) => ({ workspaceId: workspace.id, email: `c${index}@example.test`, firstName: `C${index}` })))
        .returning({ id: contacts.id });
      const list = await createSegment(db, workspace.id, { name: "Customers", kind: "static" });
      await changeListMembers(db, workspace.id, list.id, { add: people.map((person) => person.id) });
      return { workspace, token, template, list, people };
    }

    const one = (handler: Parameters<typeof call>[0], method: string, action: string) => (token: string | undefined, id: string, init: RouteCall = {}) =>
      call(handler, method, `/api/v1/broadcasts/${id}${action}`, { token, params: { id }, ...init });

    const api = {
      list: (token: string | undefined, query: Record<string, string | number> = {}) => call(broadcastsRoute.GET, "GET", "/api/v1/broadcasts", { token, query }),
      create: (token: string | undefined, body: unknown) => call(broadcastsRoute.POST, "POST", "/api/v1/broadcasts", { token, body }),
      get: one(broadcastRoute.GET, "GET", ""),
      patch: (token: string | undefined, id: string, body: unknown) => one(broadcastRoute.PATCH, "PATCH", "")(token, id, { body }),
      remove: one(broadcastRoute.DELETE, "DELETE", ""),
      send: one(sendRoute.POST, "POST", "/send"),
      pause: one(pauseRoute.POST, "POST", "/pause"),
      resume: one(resumeRoute.POST, "POST", "/resume"),
      cancel: one(cancelRoute.POST, "POST", "/cancel"),
      unschedule: one(unscheduleRoute.POST, "POST", "/unschedule"),
      stats: one(statsRoute.GET, "GET", "/stats"),
      count: (token: string | undefined, body: unknown) => call(audienceCountRoute.POST, "POST", "/api/v1/broadcasts/audience-count", { token, body }),
    };

    const broadcastMessages = (workspaceId: string, broadcastId: string) =>
      db
        .select()
        .from(messages)
        .where(and(eq(messages.workspaceId, workspaceId), eq(messages.source, "broadcast"), eq(messages.sourceId, broadcastId)));

    async function deliverAll(workspaceId: string, broadcastId: string) {
      for (const message of await broadcastMessages(workspaceId, broadcastId)) {
        if (message.status === "queued") await deliverMessage(db, workspaceId, message.id, { finalAttempt: true });
      }
    }

    /** Opens the message as a mail client would: its tracking pixel fetched by a browser. */
    async function open(workspaceId: string, messageId: string) {
      const [content] = await db
        .select({ html: messageContents.html })
        .from(messageContents)
        .where(and(eq(messageContents.workspaceId, workspaceId), eq(messageContents.messageId, messageId)));
      const pixel = /src="([^"]*\/t\/o\/[^"]+)"/.exec(content?.html ?? "")?.[1];
      expect(pixel).toBeDefined();
      const token = pixel!.slice(pixel!.indexOf("/t/o/") + "/t/o/".length);
      const response = await openRoute.GET(new NextRequest(new URL(pixel!), { headers: { "user-agent": browser } }), { params: Promise.resolve({ token }) });
      expect(response.status).toBe(200);
    }

    it("answers 401 without a secret key, on every route, and to a write key", async () => {
      const { writeKey } = await createOwnedWorkspace(db);
      const id = "00000000-0000-0000-0000-000000000000";
      const replies = await Promise.all([
        api.list(undefined),
        api.create(undefined, { name: "x" }),
        api.get(undefined, id),
        api.patch(undefined, id, { name: "x" }),
        api.remove(undefined, id),
        api.send(undefined, id),
        api.pause(undefined, id),
        api.resume(undefined, id),
        api.cancel(undefined, id),
        api.unschedule(undefined, id),
        api.stats(undefined, id),
        api.count(undefined, { audience: { include: [id] } }),
        api.list(writeKey),
      ]);
      expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 401));
      expect(replies[1].json.error.code).toBe("unauthorized");
    });

    it("creates a draft, reads, lists and edits it, sends it, and the stats show what was sent", async () => {
      const { workspace, token, template, list, people } = await setup(5);
      const staff = await createSegment(db, workspace.id, { name: "Staff", kind: "static" });
      await changeListMembers(db, workspace.id, staff.id, { add: [people[0].id] });

      const count = await api.count(token, { audience: { include: [list.id], exclude: [staff.id] } });
      expect(count.status).toBe(200);
      expect(count.json).toEqual({ count: 4 });

      const created = await api.create(token, { name: "Spring", template_id: template.id, audience: { include: [list.id], exclude: [staff.id] } });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({
        name: "Spring",
        status: "draft",
        channel: "email",
        template_id: template.id,
        template_version: null,
        audience: { include: [list.id], exclude: [staff.id] },
        schedule: { kind: "now", at: null },
        ab_test: null,
        recipient_count: null,
        variants: [],
      });
      expect(created.json.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
      const id = created.json.id as string;

      expect((await api.get(token, id)).json).toEqual(created.json);
      const listed = await api.list(token);
      expect(listed.status).toBe(200);
      expect(listed.json.data.map((row: { id: string }) => row.id)).toEqual([id]);
      expect(listed.json.next_cursor).toBeNull();

      const renamed = await api.patch(token, id, { name: "Spring sale", throttle_per_minute: 1000 });
      expect(renamed.status).toBe(200);
      expect(renamed.json).toMatchObject({ name: "Spring sale", throttle_per_minute: 1000, audience: { include: [list.id], exclude: [staff.id] } });

      const sent = await api.send(token, id);
      expect(sent.status).toBe(202);
      expect(sent.json.status).toBe("scheduled");
      expect(sent.json.scheduled_at).not.toBeNull();
      const locked = await api.patch(token, id, { name: "Too late" });
      expect(locked.status).toBe(409);
      expect(locked.json.error.message).toMatch(/unschedule/);
      expect((await api.send(token, id)).status).toBe(409);

      expect(await runFanout(db, workspace.id, id, { owner: "t" })).toMatchObject({ status: "queued", queued: 4, done: true });
      const sending = await api.get(token, id);
      expect(sending.json).toMatchObject({ status: "sending", recipient_count: 4, template_version: 1 });
      expect(sending.json.started_at).not.toBeNull();
      expect((await api.stats(token, id)).json.progress).toMatchObject({ total: 4, fanned_out: 4, queued: 4, sent: 0 });

      await deliverAll(workspace.id, id);
      const stats = await api.stats(token, id);
      expect(stats.status).toBe(200);
      expect(stats.json).toMatchObject({
        id,
        progress: { total: 4, fanned_out: 4, queued: 0, sent: 4, suppressed: 0, failed: 0, cancelled: 0 },
        totals: { recipients: 4, sent: 4, delivered: 4, bounced: 0, opened: 0, clicked: 0, queued: 0 },
        rates: { delivered_of_sent: 1, open_of_delivered: 0, bounce_of_sent: 0 },
        variants: [],
        top_links: [],
        timeline: [],
      });
      expect((await broadcastMessages(workspace.id, id)).map((message) => message.contactId)).not.toContain(people[0].id);

      expect(await checkCompletion(db, workspace.id, id)).toEqual({ status: "sent" });
      const done = await api.get(token, id);
      expect(done.json.status).toBe("sent");
      expect(done.json.finished_at).not.toBeNull();
      expect((await api.list(token, { status: "sent" })).json.data.map((row: { id: string }) => row.id)).toEqual([id]);
      expect((await api.list(token, { status: "draft" })).json.data).toEqual([]);

      const kept = await api.remove(token, id);
      expect(kept.status).toBe(409);
      expect(kept.json.error.message).toMatch(/sent broadcast cannot be deleted/);
      expect((await api.pause(token, id)).status).toBe(409);
      expect((await api.cancel(token, id)).status).toBe(409);
      expect((await api.get(token, id)).status).toBe(200);
    });

    it("pauses, resumes and cancels a sending broadcast, with a 409 and the reason for each wrong state", async () => {
      const { workspace, token, template, list } = await setup(6);
      const { json: created } = await api.create(token, { name: "Flash sale", template_id: template.id, audience: { include: [list.id] } });
      const id = created.id as string;

      const notSending = await api.pause(token, id);
      expect(notSending.status).toBe(409);
      expect(notSending.json.error).toMatchObject({ code: "conflict", message: "A draft broadcast cannot be paused." });
      expect((await api.resume(token, id)).status).toBe(409);
      expect((await api.cancel(token, id)).json.error).toMatchObject({ code: "conflict", message: expect.stringMatching(/^A draft broadcast cannot be cancel/) });

      await api.send(token, id);
      // The fan-out queues its first page of two, then the broadcast is paused.
      await runFanout(db, workspace.id, id, { owner: "t", pageSize: 2, maxPages: 1 });
      const paused = await api.pause(token, id);
      expect(paused.status).toBe(200);
      expect(paused.json.status).toBe("paused");
      expect(paused.json.paused_at).not.toBeNull();
      const again = await api.pause(token, id);
      expect(again.status).toBe(409);
      expect(again.json.error.message).toBe("A paused broadcast cannot be paused.");
      // Nothing is handed over while paused.
      await deliverAll(workspace.id, id);
      expect((await api.stats(token, id)).json.progress).toMatchObject({ total: 6, fanned_out: 2, queued: 6, sent: 0 });

      const resumed = await api.resume(token, id);
      expect(resumed.status).toBe(200);
      expect(resumed.json).toMatchObject({ status: "sending", paused_at: null });
      expect((await api.resume(token, id)).json.error.message).toBe("A sending broadcast cannot be resumed.");
      await deliverAll(workspace.id, id);
      expect((await api.stats(token, id)).json.progress).toMatchObject({ sent: 2, queued: 4 });

      const cancelled = await api.cancel(token, id);
      expect(cancelled.status).toBe(200);
      expect(cancelled.json.status).toBe("cancelled");
      expect(cancelled.json.cancelled_at).not.toBeNull();
      expect((await api.cancel(token, id)).json.error.message).toMatch(/^A cancelled broadcast cannot be cancel/);
      expect((await api.resume(token, id)).status).toBe(409);
      expect(await runFanout(db, workspace.id, id, { owner: "t2" })).toEqual({ status: "skipped", reason: "cancelled" });
      expect((await api.stats(token, id)).json.progress).toMatchObject({ total: 6, sent: 2, queued: 0, cancelled: 4 });

      // A cancelled broadcast can be deleted; then it is gone.
      const removed = await api.remove(token, id);
      expect(removed.status).toBe(200);
      expect(removed.json).toEqual({ deleted: true, id });
      expect((await api.get(token, id)).status).toBe(404);
    });

    it("sends on a schedule given with send, unschedules back to a draft, and refuses a time in the past", async () => {
      const { token, template, list } = await setup(2);
      const { json: created } = await api.create(token, { name: "Weekly", template_id: template.id, audience: { include: [list.id] } });
      const id = created.id as string;
      expect((await api.unschedule(token, id)).json.error.message).toBe("A draft broadcast cannot be unscheduled.");

      const past = await api.send(token, id, { body: { schedule: { kind: "at", at: "2020-01-01T09:00:00Z" } } });
      expect(past.status).toBe(422);
      expect(past.json.error.details).toEqual([expect.objectContaining({ path: "schedule.at" })]);
      const noTime = await api.send(token, id, { body: { schedule: { kind: "at" } } });
      expect(noTime.status).toBe(422);
      expect(noTime.json.error.details.map((detail: { path: string }) => detail.path)).toEqual(["schedule.at"]);
      expect((await api.send(token, id, { raw: "{nope" })).status).toBe(400);
      expect((await api.get(token, id)).json.status).toBe("draft");

      const at = new Date(Date.now() + 24 * 3600_000).toISOString();
      const scheduled = await api.send(token, id, { body: { schedule: { kind: "at", at } } });
      expect(scheduled.status).toBe(202);
      expect(scheduled.json).toMatchObject({ status: "scheduled", scheduled_at: at, schedule: { kind: "at", at } });

      const draft = await api.unschedule(token, id);
      expect(draft.status).toBe(200);
      expect(draft.json).toMatchObject({ status: "draft", schedule: { kind: "at", at } });
      expect((await api.unschedule(token, id)).status).toBe(409);
      const edited = await api.patch(token, id, { name: "Weekly, edited" });
      expect(edited.status).toBe(200);
    });

    it("answers 422 with the path of what is wrong in a body, and 400 for what is not JSON", async () => {
      const { token, template, list } = await setup(1);
      const base = { name: "Launch", template_id: template.id, audience: { include: [list.id] } };

      const noAudience = await api.create(token, { ...base, audience: { include: [] } });
      expect(noAudience.status).toBe(422);
      expect(noAudience.json.error).toMatchObject({ code: "validation_failed" });
      expect(noAudience.json.error.details).toEqual([{ path: "audience.include", message: "Include at least one segment or list." }]);

      const winner = await api.create(token, { ...base, ab_test: { mode: "winner", test_percent: 20, wait_hours: 4, variants: [{}, { subject: "B" }] } });
      expect(winner.status).toBe(422);
      expect(winner.json.error.details.map((detail: { path: string }) => detail.path)).toEqual(["ab_test.metric"]);

      const oneVariant = await api.create(token, { ...base, ab_test: { mode: "split", variants: [{}] } });
      expect(oneVariant.json.error.details.map((detail: { path: string }) => detail.path)).toEqual(["ab_test.variants"]);

      const unknownList = await api.create(token, { ...base, audience: { include: [list.id, "11111111-1111-4111-8111-111111111111"] } });
      expect(unknownList.status).toBe(422);
      expect(unknownList.json.error.details).toEqual([{ path: "audience.include.1", message: "not_found" }]);

      const noTemplate = await api.create(token, { ...base, template_id: "11111111-1111-4111-8111-111111111111" });
      expect(noTemplate.json.error.details).toEqual([{ path: "template_id", message: "not_found" }]);

      const conversion = await api.create(token, { ...base, ab_test: { mode: "split", metric: "conversion", variants: [{}, {}] } });
      expect(conversion.json.error.details.map((detail: { path: string }) => detail.path)).toEqual(["conversion"]);

      expect((await api.create(token, { ...base, name: "" })).json.error.details[0].path).toBe("name");
      expect((await call(broadcastsRoute.POST, "POST", "/api/v1/broadcasts", { token, raw: "{nope" })).status).toBe(400);
      expect((await call(broadcastsRoute.POST, "POST", "/api/v1/broadcasts", { token, raw: "" })).json.error.code).toBe("invalid_json");

      const { json: created } = await api.create(token, base);
      const badPatch = await api.patch(token, created.id, { audience: { include: [] } });
      expect(badPatch.status).toBe(422);
      expect(badPatch.json.error.details[0].path).toBe("audience.include");
      expect((await api.patch(token, created.id, {})).status).toBe(422);
      const badMerge = await api.patch(token, created.id, { ab_test: { mode: "split", metric: "conversion", variants: [{}, {}] } });
      expect(badMerge.status).toBe(422);
      expect(badMerge.json.error.details.map((detail: { path: string }) => detail.path)).toEqual(["conversion"]);
      expect((await api.get(token, created.id)).json.ab_test).toBeNull();

      const emptyCount = await api.count(token, { audience: { include: [] } });
      expect(emptyCount.status).toBe(422);
      expect(emptyCount.json.error.details[0].path).toBe("audience.include");
      expect((await api.count(token, { audience: { include: ["nope"] } })).json.error.details[0].path).toBe("audience.include.0");

      expect((await api.list(token, { status: "finished" })).json.error.details[0].path).toBe("status");
      expect((await api.list(token, { limit: 0 })).status).toBe(422);
      expect((await api.list(token, { cursor: "not-a-cursor" })).status).toBe(400);
    });

    it("keeps another workspace's broadcasts and lists out of reach (404, not listed, not countable)", async () => {
      const mine = await setup(2);
      const theirs = await setup(2);
      const { json: created } = await api.create(mine.token, { name: "Mine", template_id: mine.template.id, audience: { include: [mine.list.id] } });
      const id = created.id as string;

      for (const reply of [
        await api.get(theirs.token, id),
        await api.patch(theirs.token, id, { name: "Stolen" }),
        await api.remove(theirs.token, id),
        await api.send(theirs.token, id),
        await api.pause(theirs.token, id),
        await api.resume(theirs.token, id),
        await api.cancel(theirs.token, id),
        await api.unschedule(theirs.token, id),
        await api.stats(theirs.token, id),
      ]) {
        expect(reply.status).toBe(404);
        expect(reply.json.error.code).toBe("not_found");
      }
      expect((await api.list(theirs.token)).json.data).toEqual([]);
      const mineStill = await api.get(mine.token, id);
      expect(mineStill.json).toMatchObject({ name: "Mine", status: "draft" });

      // Their key cannot count or send to my list, nor use my template.
      const count = await api.count(theirs.token, { audience: { include: [mine.list.id] } });
      expect(count.status).toBe(422);
      expect(count.json.error.details).toEqual([{ path: "audience.include.0", message: "not_found" }]);
      const borrowed = await api.create(theirs.token, { name: "Borrowed", template_id: theirs.template.id, audience: { include: [mine.list.id] } });
      expect(borrowed.json.error.details).toEqual([{ path: "audience.include.0", message: "not_found" }]);
      const otherTemplate = await api.create(theirs.token, { name: "Borrowed", template_id: mine.template.id, audience: { include: [theirs.list.id] } });
      expect(otherTemplate.json.error.details).toEqual([{ path: "template_id", message: "not_found" }]);

      // An id that is not an id at all is a 404 too, never a database error.
      for (const reply of [await api.get(mine.token, "nope"), await api.pause(mine.token, "nope"), await api.unschedule(mine.token, "nope"), await api.cancel(mine.token, "nope")]) {
        expect(reply.status).toBe(404);
      }
    });

    it("pages the list newest first with next_cursor", async () => {
      const { token, template, list } = await setup(1);
      const ids: string[] = [];
      for (const name of ["First", "Second", "Third"]) {
        ids.push((await api.create(token, { name, template_id: template.id, audience: { include: [list.id] } })).json.id);
      }
      const first = await api.list(token, { limit: 2 });
      expect(first.json.data.map((row: { name: string }) => row.name)).toEqual(["Third", "Second"]);
      expect(first.json.data[0]).not.toHaveProperty("variants");
      expect(first.json.next_cursor).toEqual(expect.any(String));
      const second = await api.list(token, { limit: 2, cursor: first.json.next_cursor });
      expect(second.json.data.map((row: { id: string }) => row.id)).toEqual([ids[0]]);
      expect(second.json.next_cursor).toBeNull();
    });

    it("shows an A/B split's variants, and per-variant results with the test against the best one", async () => {
      const { workspace, token, template, list } = await setup(24);
      const created = await api.create(token, {
        name: "Subject test",
        template_id: template.id,
        audience: { include: [list.id] },
        ab_test: { mode: "split", metric: "opens", variants: [{ subject: "Spring is here" }, { subject: "Last chance, {{ contact.first_name }}" }] },
      });
      expect(created.status).toBe(201);
      expect(created.json.ab_test).toEqual({ mode: "split", test_percent: null, metric: "opens", wait_hours: null });
      expect(created.json.variants).toEqual([
        { key: "A", weight: 50, template_id: template.id, template_version: null, subject: "Spring is here", from_name: null, from_email: null },
        { key: "B", weight: 50, template_id: template.id, template_version: null, subject: "Last chance, {{ contact.first_name }}", from_name: null, from_email: null },
      ]);
      const id = created.json.id as string;
      await api.send(token, id);
      await runFanout(db, workspace.id, id, { owner: "t" });
      await deliverAll(workspace.id, id);

      // Everyone who got A opens it; nobody who got B does.
      const sent = await broadcastMessages(workspace.id, id);
      const a = sent.filter((message) => message.variant === "A");
      const b = sent.filter((message) => message.variant === "B");
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      for (const message of a) await open(workspace.id, message.id);

      const { json: stats } = await api.stats(token, id);
      expect(stats.totals).toMatchObject({ recipients: 24, sent: 24, opened: a.length });
      expect(stats.rates.open_of_delivered).toBeCloseTo(a.length / 24);
      expect(stats.variants.map((variant: { key: string; sent: number; opened: number }) => [variant.key, variant.sent, variant.opened])).toEqual([
        ["A", a.length, a.length],
        ["B", b.length, 0],
      ]);
      expect(stats.variants[0]).toMatchObject({ open_rate: 1, test: null });
      expect(stats.variants[1]).toMatchObject({ open_rate: 0, test: { against: "A", significant: true } });
      expect(stats.variants[1].test.p_value).toBeLessThan(0.05);
      expect(stats.timeline.every((hour: { at: string }) => hour.at.endsWith(":00:00.000Z"))).toBe(true);
      expect(stats.timeline.reduce((sum: number, hour: { opens: number }) => sum + hour.opens, 0)).toBe(a.length);
      expect((await api.get(token, id)).json.variants.map((variant: { template_version: number }) => variant.template_version)).toEqual([1, 1]);
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { sql } from "drizzle-orm";
import { getDatabase, type Database, type Db } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { eventProcess } from "@/jobs/event-process";
import { jobs } from "@/jobs/registry";
import { parseBatchItem, type TrackingCall } from "@/lib/tracking/calls";
import { ingestCalls } from "@/lib/tracking/ingest";
import * as monitorsRoute from "@/app/api/v1/monitors/route";
import * as monitorRoute from "@/app/api/v1/monitors/[id]/route";
import * as activateRoute from "@/app/api/v1/monitors/[id]/activate/route";
import * as pauseRoute from "@/app/api/v1/monitors/[id]/pause/route";
import * as archiveRoute from "@/app/api/v1/monitors/[id]/archive/route";
import * as matchesRoute from "@/app/api/v1/monitors/[id]/matches/route";
import * as testRoute from "@/app/api/v1/monitors/[id]/test/route";
import * as contactPointsRoute from "@/app/api/v1/contacts/[id]/points/route";
import * as contactCouponsRoute from "@/app/api/v1/contacts/[id]/coupons/route";
import * as contactsRoute from "@/app/api/v1/contacts/route";
import * as awardRoute from "@/app/api/v1/points/award/route";
import * as redeemPointsRoute from "@/app/api/v1/points/redeem/route";
import * as ledgerRoute from "@/app/api/v1/points/transactions/route";
import * as settingsRoute from "@/app/api/v1/points/settings/route";
import * as campaignsRoute from "@/app/api/v1/coupon-campaigns/route";
import * as campaignRoute from "@/app/api/v1/coupon-campaigns/[id]/route";
import * as codesRoute from "@/app/api/v1/coupon-campaigns/[id]/codes/route";
import * as issueRoute from "@/app/api/v1/coupons/issue/route";
import * as redeemCouponRoute from "@/app/api/v1/coupons/redeem/route";
import { createOwnedWorkspace } from "./accounts";
import { callRoute as call } from "./route-call";

const day = 86_400_000;
const nobody = "00000000-0000-0000-0000-000000000000";

function trackingCall(raw: Record<string, unknown>): TrackingCall {
  const parsed = parseBatchItem(raw);
  if ("reason" in parsed) throw new Error(parsed.reason);
  return parsed.call;
}

/** The monitors, points and coupons REST API against the process-wide database, pointed at `kind` by the calling file. */
export function rewardsApiSuite(kind: "embedded" | "postgres") {
  describe(`monitors, points and coupons REST API on ${kind}`, () => {
    let database: Database;
    let db: Db;
    let boss: PgBoss;

    beforeAll(async () => {
      database = await getDatabase();
      expect(database.kind).toBe(kind);
      db = database.db;
      // A monitor's message action and event.process queue jobs through the process-wide boss.
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

    async function setup() {
      const { workspace, owner, writeKey } = await createOwnedWorkspace(db);
      const { token } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Server" });
      return { workspace, owner, writeKey, token };
    }

    type Token = string | undefined;
    type Query = Record<string, string | number>;
    const byId = (handler: Parameters<typeof call>[0], method: string, path: (id: string) => string) => (token: Token, id: string, body?: unknown, query?: Query) =>
      call(handler, method, path(id), { token, params: { id }, body, query });

    const api = {
      monitors: (token: Token, query: Query = {}) => call(monitorsRoute.GET, "GET", "/api/v1/monitors", { token, query }),
      createMonitor: (token: Token, body: unknown) => call(monitorsRoute.POST, "POST", "/api/v1/monitors", { token, body }),
      monitor: byId(monitorRoute.GET, "GET", (id) => `/api/v1/monitors/${id}`),
      patchMonitor: byId(monitorRoute.PATCH, "PATCH", (id) => `/api/v1/monitors/${id}`),
      deleteMonitor: byId(monitorRoute.DELETE, "DELETE", (id) => `/api/v1/monitors/${id}`),
      activate: byId(activateRoute.POST, "POST", (id) => `/api/v1/monitors/${id}/activate`),
      pause: byId(pauseRoute.POST, "POST", (id) => `/api/v1/monitors/${id}/pause`),
      archive: byId(archiveRoute.POST, "POST", (id) => `/api/v1/monitors/${id}/archive`),
      matches: (token: Token, id: string, query: Query = {}) => byId(matchesRoute.GET, "GET", (id) => `/api/v1/monitors/${id}/matches`)(token, id, undefined, query),
      testMonitor: byId(testRoute.POST, "POST", (id) => `/api/v1/monitors/${id}/test`),
      points: (token: Token, ref: string, query: Query = {}) =>
        call(contactPointsRoute.GET, "GET", `/api/v1/contacts/${encodeURIComponent(ref)}/points`, { token, params: { id: ref }, query }),
      coupons: (token: Token, ref: string) => call(contactCouponsRoute.GET, "GET", `/api/v1/contacts/${encodeURIComponent(ref)}/coupons`, { token, params: { id: ref } }),
      award: (token: Token, body: unknown) => call(awardRoute.POST, "POST", "/api/v1/points/award", { token, body }),
      redeemPoints: (token: Token, body: unknown) => call(redeemPointsRoute.POST, "POST", "/api/v1/points/redeem", { token, body }),
      ledger: (token: Token, query: Query = {}) => call(ledgerRoute.GET, "GET", "/api/v1/points/transactions", { token, query }),
      settings: (token: Token) => call(settingsRoute.GET, "GET", "/api/v1/points/settings", { token }),
      patchSettings: (token: Token, body: unknown) => call(settingsRoute.PATCH, "PATCH", "/api/v1/points/settings", { token, body }),
      campaigns: (token: Token) => call(campaignsRoute.GET, "GET", "/api/v1/coupon-campaigns", { token }),
      createCampaign: (token: Token, body: unknown) => call(campaignsRoute.POST, "POST", "/api/v1/coupon-campaigns", { token, body }),
      campaign: byId(campaignRoute.GET, "GET", (id) => `/api/v1/coupon-campaigns/${id}`),
      patchCampaign: byId(campaignRoute.PATCH, "PATCH", (id) => `/api/v1/coupon-campaigns/${id}`),
      uploadCodes: byId(codesRoute.POST, "POST", (id) => `/api/v1/coupon-campaigns/${id}/codes`),
      uploadCsv: (token: Token, id: string, csv: string) =>
        call(codesRoute.POST, "POST", `/api/v1/coupon-campaigns/${id}/codes`, { token, params: { id }, raw: csv, headers: { "content-type": "text/csv; charset=utf-8" } }),
      issue: (token: Token, body: unknown) => call(issueRoute.POST, "POST", "/api/v1/coupons/issue", { token, body }),
      redeemCoupon: (token: Token, body: unknown) => call(redeemCouponRoute.POST, "POST", "/api/v1/coupons/redeem", { token, body }),
      createContact: (token: string, body: unknown) => call(contactsRoute.POST, "POST", "/api/v1/contacts", { token, body }),
    };

    async function track(workspaceId: string, calls: Record<string, unknown>[]) {
      await ingestCalls(db, workspaceId, calls.map(trackingCall));
      await eventProcess.handle({ workspaceId }, { database, db, jobId: "test", attempt: 0 });
    }

    const pathsOf = (reply: { json: { error: { details: Array<{ path: string }> } } }) => reply.json.error.details.map((detail) => detail.path);

    it("answers 401 without a secret key on every route, and to a write key", async () => {
      const { writeKey } = await setup();
      const replies = await Promise.all([
        api.monitors(undefined),
        api.createMonitor(undefined, { example: "repeat_buyer" }),
        api.monitor(undefined, nobody),
        api.patchMonitor(undefined, nobody, { name: "x" }),
        api.deleteMonitor(undefined, nobody),
        api.activate(undefined, nobody),
        api.pause(undefined, nobody),
        api.archive(undefined, nobody),
        api.matches(undefined, nobody),
        api.testMonitor(undefined, nobody, { contact: "email:a@example.test" }),
        api.points(undefined, nobody),
        api.coupons(undefined, nobody),
        api.award(undefined, { contact: nobody, points: 1, idempotency_key: "k" }),
        api.redeemPoints(undefined, { contact: nobody, points: 1, idempotency_key: "k" }),
        api.ledger(undefined),
        api.settings(undefined),
        api.patchSettings(undefined, { allow_negative: true }),
        api.campaigns(undefined),
        api.createCampaign(undefined, { name: "x" }),
        api.campaign(undefined, nobody),
        api.patchCampaign(undefined, nobody, { name: "x" }),
        api.uploadCodes(undefined, nobody, { codes: ["A"] }),
        api.issue(undefined, { campaign_id: nobody, contact: nobody }),
        api.redeemCoupon(undefined, { code: "A" }),
        api.monitors(writeKey),
        api.award(writeKey, { contact: nobody, points: 1, idempotency_key: "k" }),
        api.issue(writeKey, { campaign_id: nobody, contact: nobody }),
      ]);
      expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 401));
      expect(replies[0].json.error.code).toBe("unauthorized");
      expect(replies.at(-1)!.json.error.message).toBe("Unknown secret key.");
    });

    it("creates a monitor from an example or from its fields, reads, lists, edits and deletes it", async () => {
      const { token } = await setup();
      const fromExample = await api.createMonitor(token, { example: "repeat_buyer" });
      expect(fromExample.status).toBe(201);
      expect(fromExample.json).toMatchObject({
        name: "3 purchases in 30 days",
        description: null,
        status: "draft",
        event: "Order Completed",
        where: null,
        statistic: "count",
        property: null,
        threshold: 3,
        window: { kind: "rolling", amount: 30, unit: "days" },
        segment_id: null,
        limit: { kind: "once_per_window" },
        active_from: null,
        active_until: null,
        actions: [{ type: "points", amount: 500, expires_in_days: null, reason: "3 purchases in 30 days" }],
        example: "repeat_buyer",
      });
      expect(fromExample.json.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
      const id = fromExample.json.id as string;
      expect((await api.monitor(token, id)).json).toEqual(fromExample.json);

      // The example's fields, overridden by the body's: as it comes, the first big order tags the buyer (the coupon is the marketer's to pick).
      const asItComes = await api.createMonitor(token, { example: "first_big_order" });
      expect(asItComes.status).toBe(201);
      expect(asItComes.json.actions).toEqual([{ type: "tag", tag: "first-big-order" }]);
      expect((await api.deleteMonitor(token, asItComes.json.id)).status).toBe(200);
      const noReward = await api.createMonitor(token, { example: "first_big_order", actions: [] });
      expect(noReward.status).toBe(422);
      expect(noReward.json.error).toMatchObject({ code: "validation_failed", details: [{ path: "actions", message: "Give the monitor at least one action." }] });
      const bigOrder = await api.createMonitor(token, {
        example: "first_big_order",
        name: "Big first order",
        actions: [{ type: "points", amount: 200, expires_in_days: 90 }, { type: "tag", tag: "big-spender" }],
      });
      expect(bigOrder.status).toBe(201);
      expect(bigOrder.json).toMatchObject({
        name: "Big first order",
        where: { ">": [{ var: "properties.revenue" }, 100] },
        window: { kind: "lifetime" },
        limit: { kind: "once" },
        actions: [{ type: "points", amount: 200, expires_in_days: 90, reason: null }, { type: "tag", tag: "big-spender" }],
        example: "first_big_order",
      });

      const own = await api.createMonitor(token, {
        name: "Spent 1,000 this month",
        description: "Big spenders",
        event: "Order Completed",
        statistic: "sum",
        property: "revenue",
        threshold: 1000,
        window: { kind: "calendar", unit: "month" },
        limit: { kind: "at_most", count: 3 },
        active_from: "2026-01-01T00:00:00+08:00",
        actions: [{ type: "event" }],
      });
      expect(own.status).toBe(201);
      expect(own.json).toMatchObject({ statistic: "sum", property: "revenue", active_from: "2025-12-31T16:00:00.000Z", active_until: null, example: null });

      const listed = await api.monitors(token);
      expect(listed.status).toBe(200);
      expect(listed.json.data.map((row: { id: string }) => row.id).toSorted()).toEqual([id, bigOrder.json.id, own.json.id].toSorted());
      expect(listed.json.data.find((row: { id: string }) => row.id === id)).toMatchObject({ matches_today: 0, matches: 0 });
      expect((await api.monitors(token, { status: "active" })).json.data).toEqual([]);

      // PATCH changes only the fields given; null clears; the example stays.
      const patched = await api.patchMonitor(token, id, { threshold: 5, description: "Loyal", where: { ">=": [{ var: "properties.revenue" }, 10] } });
      expect(patched.status).toBe(200);
      expect(patched.json).toMatchObject({ threshold: 5, description: "Loyal", name: "3 purchases in 30 days", example: "repeat_buyer", where: { ">=": [{ var: "properties.revenue" }, 10] } });
      const cleared = await api.patchMonitor(token, id, { description: null, where: null, window: { kind: "calendar", unit: "week" } });
      expect(cleared.json).toMatchObject({ description: null, where: null, window: { kind: "calendar", unit: "week" }, threshold: 5 });
      expect((await api.monitor(token, id)).json).toEqual(cleared.json);

      const removed = await api.deleteMonitor(token, own.json.id);
      expect(removed.json).toEqual({ deleted: true, id: own.json.id });
      expect((await api.monitor(token, own.json.id)).status).toBe(404);
    });

    it("answers 422 with the path of what is wrong in a monitor's body", async () => {
      const { token } = await setup();
      const valid = { name: "x", event: "Order Completed", threshold: 2, window: { kind: "lifetime" }, limit: { kind: "once" }, actions: [{ type: "tag", tag: "t" }] };
      expect((await api.createMonitor(token, valid)).status).toBe(201);
      const cases: Array<[unknown, string]> = [
        [{ example: "big_spender" }, "example"],
        [{ ...valid, name: " " }, "name"],
        [{ ...valid, segmentId: nobody }, ""],
        [{ ...valid, threshold: 0 }, "threshold"],
        [{ ...valid, window: { kind: "yearly" } }, "window.kind"],
        [{ ...valid, window: { kind: "rolling", amount: 7 } }, "window.unit"],
        [{ ...valid, limit: { kind: "at_most" } }, "limit.count"],
        [{ ...valid, limit: { kind: "once_per_window" } }, "limit"],
        [{ ...valid, actions: [{ type: "points", amount: 1.5 }] }, "actions.0.amount"],
        [{ ...valid, actions: [{ type: "points", amount: 5, expiresInDays: 3 }] }, "actions.0"],
        [{ ...valid, actions: [{ type: "coupon", campaign_id: "nope" }] }, "actions.0.campaign_id"],
        [{ ...valid, statistic: "sum" }, "property"],
        [{ ...valid, active_from: "2026-02-01T00:00:00Z", active_until: "2026-01-01T00:00:00Z" }, "active_until"],
        [{ ...valid, active_from: "yesterday" }, "active_from"],
        // Checked against the workspace: a segment, campaign or template that is not one of its own.
        [{ ...valid, segment_id: nobody }, "segment_id"],
        [{ ...valid, actions: [{ type: "tag", tag: "t" }, { type: "coupon", campaign_id: nobody }] }, "actions.1.campaign_id"],
        [{ ...valid, actions: [{ type: "message", template_id: nobody }] }, "actions.0.template_id"],
        [{ ...valid, where: { frobnicate: [1] } }, "where"],
      ];
      for (const [body, path] of cases) {
        const reply = await api.createMonitor(token, body);
        expect(reply.status, JSON.stringify(body)).toBe(422);
        expect(reply.json.error.code).toBe("validation_failed");
        expect(pathsOf(reply), JSON.stringify(body)).toContain(path);
      }
      const badRule = await api.createMonitor(token, { ...valid, where: { and: [{ ">": [{ var: "properties.revenue" }, 100] }, { frobnicate: [1] }] } });
      expect(badRule.json.error).toMatchObject({ message: 'Invalid rule at where.and[1].frobnicate: unknown operator "frobnicate"', details: [{ path: "where", code: "unknown_operator" }] });
      const missingCampaign = await api.createMonitor(token, { ...valid, actions: [{ type: "coupon", campaign_id: nobody }] });
      expect(missingCampaign.json.error.details).toEqual([{ path: "actions.0.campaign_id", message: "campaign_missing" }]);
      expect((await api.createMonitor(token, {})).json.error.message).toBe("Invalid name: Give the monitor a name.");
      expect((await api.createMonitor(token, {})).json.error.details.map((detail: { path: string }) => detail.path)).toEqual(
        expect.arrayContaining(["name", "event", "threshold", "window", "limit", "actions"]),
      );
      expect((await call(monitorsRoute.POST, "POST", "/api/v1/monitors", { token, raw: "{nope" })).json.error.code).toBe("invalid_json");
      expect((await api.createMonitor(token, ["x"])).status).toBe(422);
      expect((await api.monitors(token, { status: "running" })).json.error.details[0].path).toBe("status");

      const { json: monitor } = await api.createMonitor(token, { example: "login_streak" });
      expect(pathsOf(await api.patchMonitor(token, monitor.id, { property: null }))).toEqual(["property"]);
      expect(pathsOf(await api.patchMonitor(token, monitor.id, { example: "repeat_buyer" }))).toEqual([""]);
      expect((await api.patchMonitor(token, monitor.id, "x")).status).toBe(422);
      expect((await api.monitor(token, monitor.id)).json).toMatchObject({ property: "$day", example: "login_streak" });
    });

    it("moves a monitor through activate, pause and archive with a 409 for each wrong state", async () => {
      const { token } = await setup();
      const { json: monitor } = await api.createMonitor(token, { example: "login_streak" });
      const id = monitor.id as string;
      const early = await api.pause(token, id);
      expect(early.status).toBe(409);
      expect(early.json.error).toMatchObject({ code: "conflict", message: "This monitor is draft; it cannot be paused." });

      expect((await api.activate(token, id)).json.status).toBe("active");
      expect((await api.activate(token, id)).status).toBe(409);
      expect((await api.monitors(token, { status: "active" })).json.data.map((row: { id: string }) => row.id)).toEqual([id]);
      // An active monitor can be edited: it counts by the new settings from now on.
      expect((await api.patchMonitor(token, id, { threshold: 5 })).json).toMatchObject({ status: "active", threshold: 5 });
      expect((await api.pause(token, id)).json.status).toBe("paused");
      expect((await api.pause(token, id)).status).toBe(409);
      expect((await api.activate(token, id)).json.status).toBe("active");
      const archived = await api.archive(token, id);
      expect(archived.status).toBe(200);
      expect(archived.json.status).toBe("archived");
      for (const reply of [await api.archive(token, id), await api.activate(token, id), await api.pause(token, id), await api.patchMonitor(token, id, { name: "Again" })]) {
        expect(reply.status).toBe(409);
        expect(reply.json.error.code).toBe("conflict");
      }
      expect((await api.patchMonitor(token, id, { name: "Again" })).json.error.message).toBe("This monitor is archived; it cannot be changed.");
      expect((await api.monitor(token, id)).json).toMatchObject({ status: "archived", threshold: 5 });
    });

    it("rewards a contact when an active monitor matches tracked events, and shows the award in their points and the match", async () => {
      const { workspace, token } = await setup();
      const { json: monitor } = await api.createMonitor(token, { example: "repeat_buyer", actions: [{ type: "points", amount: 500, reason: "Loyal buyer" }, { type: "tag", tag: "loyal" }] });
      // A draft counts nothing.
      await track(workspace.id, [
        { type: "identify", userId: "buyer", traits: { email: "buyer@example.test" } },
        ...[1, 2, 3].map((n) => ({ type: "track", userId: "buyer", event: "Order Completed", properties: { revenue: n * 10 } })),
      ]);
      expect((await api.points(token, "external_id:buyer")).json.balance).toBe(0);

      await api.activate(token, monitor.id);
      await track(workspace.id, [1, 2, 3].map((n) => ({ type: "track", userId: "buyer", event: "Order Completed", properties: { revenue: n * 10 } })));
      const points = await api.points(token, "email:buyer@example.test");
      expect(points.status).toBe(200);
      expect(points.json).toMatchObject({ balance: 500, earned: 500, spent: 0, expired: 0, expiring: { points: 0, first_at: null }, next_before: null });
      expect(points.json.transactions).toEqual([
        expect.objectContaining({ amount: 500, balance_after: 500, reason: "Loyal buyer", source: "monitor", source_id: monitor.id, expires_at: null, remaining: 500 }),
      ]);

      const matches = await api.matches(token, monitor.id);
      expect(matches.status).toBe(200);
      expect(matches.json.data).toHaveLength(1);
      expect(matches.json.data[0]).toMatchObject({
        monitor_id: monitor.id,
        contact_id: points.json.contact_id,
        email: "buyer@example.test",
        value: 3,
        results: { points: { amount: 500, transaction_id: points.json.transactions[0].id, balance: 500 }, tag: "loyal" },
      });
      expect(matches.json.data[0].matched_at).toMatch(/Z$/);
      expect((await api.matches(token, monitor.id, { contact: "external_id:buyer" })).json.data).toHaveLength(1);
      expect((await api.matches(token, monitor.id, { contact: "email:nobody@example.test" })).json.error.details).toEqual([{ path: "contact", message: "not_found" }]);
      expect((await api.monitors(token)).json.data[0]).toMatchObject({ matches_today: 1, matches: 1 });

      // A monitor that matched keeps its history: archive it instead of deleting it.
      const refused = await api.deleteMonitor(token, monitor.id);
      expect(refused.status).toBe(409);
      expect(refused.json.error.message).toBe("This monitor has matched contacts; archive it instead of deleting it.");
    });

    it("replays a contact's history through a monitor without writing anything", async () => {
      const { workspace, token } = await setup();
      const base = Date.UTC(2026, 0, 5, 9);
      const order = (offset: number) => ({ type: "track", userId: "li", event: "Order Completed", timestamp: new Date(base + offset * day).toISOString(), properties: {} });
      await track(workspace.id, [{ type: "identify", userId: "li", traits: { email: "li@example.test" } }, ...[0, 1, 2, 40, 41, 42, 43].map(order)]);
      const { json: monitor } = await api.createMonitor(token, { example: "repeat_buyer" });

      const replay = await api.testMonitor(token, monitor.id, { contact: "email:li@example.test" });
      expect(replay.status).toBe(200);
      expect(replay.json).toMatchObject({ events: 7 });
      expect(replay.json.matches.map((match: { at: string }) => match.at)).toEqual([new Date(base + 2 * day).toISOString(), new Date(base + 42 * day).toISOString()]);
      expect(replay.json.matches[0]).toMatchObject({ event_id: expect.any(Number), value: 3 });
      expect((await api.matches(token, monitor.id)).json.data).toEqual([]);
      expect((await api.points(token, "email:li@example.test")).json.balance).toBe(0);

      expect((await api.testMonitor(token, monitor.id, { contact: "email:ghost@example.test" })).json.error.details).toEqual([{ path: "contact", message: "not_found" }]);
      expect(pathsOf(await api.testMonitor(token, monitor.id, {}))).toEqual(["contact"]);
    });

    it("awards and redeems points once per idempotency key, refuses an insufficient balance with the balance, and pages the ledger", async () => {
      const { token } = await setup();
      const li = (await api.createContact(token, { email: "li@example.test", external_id: "user-li" })).json;

      const awarded = await api.award(token, { contact: "email:li@example.test", points: 100, reason: "Welcome", idempotency_key: "welcome-li" });
      expect(awarded.status).toBe(201);
      expect(awarded.json).toMatchObject({
        created: true,
        balance: 100,
        transaction: { contact_id: li.id, amount: 100, balance_after: 100, reason: "Welcome", source: "api", expires_at: null, remaining: 100, idempotency_key: "api:welcome-li" },
      });
      // The same call again (a retry) changes nothing and answers with the first transaction.
      const retried = await api.award(token, { contact: "email:li@example.test", points: 100, reason: "Welcome", idempotency_key: "welcome-li" });
      expect(retried.status).toBe(200);
      expect(retried.json).toMatchObject({ created: false, balance: 100, transaction: { id: awarded.json.transaction.id } });
      // The same key for another change is a mistake worth a 409.
      const reused = await api.award(token, { contact: li.id, points: 50, idempotency_key: "welcome-li" });
      expect(reused.status).toBe(409);
      expect(reused.json.error).toMatchObject({ code: "conflict", details: { amount: 100 } });
      expect((await api.redeemPoints(token, { contact: li.id, points: 100, idempotency_key: "welcome-li" })).status).toBe(409);
      const other = (await api.createContact(token, { email: "bo@example.test" })).json;
      expect((await api.award(token, { contact: other.id, points: 100, idempotency_key: "welcome-li" })).status).toBe(409);

      const expiresAt = new Date(Date.now() + 30 * day).toISOString();
      expect((await api.award(token, { contact: "external_id:user-li", points: 40, expires_at: expiresAt, idempotency_key: "promo" })).json.balance).toBe(140);

      const short = await api.redeemPoints(token, { contact: li.id, points: 141, reason: "Mug", idempotency_key: "order-1" });
      expect(short.status).toBe(422);
      expect(short.json.error).toMatchObject({ code: "insufficient_points", details: { balance: 140, requested: 141 } });
      expect(short.json.error.message).toBe("Not enough points: the balance is 140, 141 were asked for.");
      const spent = await api.redeemPoints(token, { contact: li.id, points: 30, reason: "Mug", idempotency_key: "order-1" });
      expect(spent.status).toBe(201);
      expect(spent.json).toMatchObject({ created: true, balance: 110, transaction: { amount: -30, balance_after: 110, source: "redeem", reason: "Mug" } });
      expect((await api.redeemPoints(token, { contact: li.id, points: 30, reason: "Mug", idempotency_key: "order-1" })).json).toMatchObject({ created: false, balance: 110 });

      const points = await api.points(token, li.id);
      // The 30 came out of the award that expires first.
      expect(points.json).toMatchObject({ contact_id: li.id, points_name: null, balance: 110, earned: 140, spent: 30, expired: 0, expiring: { points: 10, first_at: expiresAt } });
      expect(points.json.transactions.map((row: { amount: number }) => row.amount)).toEqual([-30, 40, 100]);

      // Pages: newest first, `before` is the previous page's next_before.
      const first = await api.points(token, li.id, { limit: 2 });
      expect(first.json.transactions.map((row: { amount: number }) => row.amount)).toEqual([-30, 40]);
      expect(first.json.next_before).toBe(first.json.transactions[1].id);
      const second = await api.points(token, li.id, { limit: 2, before: first.json.next_before });
      expect(second.json.transactions.map((row: { amount: number }) => row.amount)).toEqual([100]);
      expect(second.json.next_before).toBeNull();

      const ledger = await api.ledger(token, { limit: 2 });
      expect(ledger.json.data.map((row: { amount: number; email: string }) => `${row.email}:${row.amount}`)).toEqual(["li@example.test:-30", "li@example.test:40"]);
      const rest = await api.ledger(token, { limit: 2, before: ledger.json.next_before });
      expect(rest.json).toMatchObject({ data: [expect.objectContaining({ amount: 100, reason: "Welcome" })], next_before: null });
      expect((await api.ledger(token, { source: "redeem" })).json.data.map((row: { amount: number }) => row.amount)).toEqual([-30]);
      expect((await api.ledger(token, { contact: "email:bo@example.test" })).json.data).toEqual([]);
      expect((await api.ledger(token, { contact: "external_id:user-li", source: "api" })).json.data).toHaveLength(2);
    });

    it("answers 422 with the path for bad points bodies and queries, and for a contact it cannot find", async () => {
      const { token } = await setup();
      const li = (await api.createContact(token, { email: "li@example.test" })).json;
      const good = { contact: li.id, points: 10, idempotency_key: "k" };
      const cases: Array<[unknown, string]> = [
        [{ ...good, idempotency_key: undefined }, "idempotency_key"],
        [{ ...good, points: 0 }, "points"],
        [{ ...good, points: 1.5 }, "points"],
        [{ ...good, points: "10" }, "points"],
        [{ ...good, expires_at: "2020-01-01T00:00:00Z" }, "expires_at"],
        [{ ...good, contact: "email:ghost@example.test" }, "contact"],
        [{ ...good, contact: "external_id:ghost" }, "contact"],
        [{ ...good, idempotencyKey: "k" }, ""],
      ];
      for (const [body, path] of cases) {
        const reply = await api.award(token, body);
        expect(reply.status, JSON.stringify(body)).toBe(422);
        expect(pathsOf(reply)).toContain(path);
      }
      expect((await api.award(token, { ...good, contact: "email:ghost@example.test" })).json.error.details).toEqual([{ path: "contact", message: "not_found" }]);
      expect(pathsOf(await api.redeemPoints(token, { contact: li.id, points: -5, idempotency_key: "k" }))).toEqual(["points"]);
      expect(pathsOf(await api.redeemPoints(token, { contact: li.id, points: 5, expires_at: null, idempotency_key: "k" }))).toEqual([""]);
      expect(pathsOf(await api.ledger(token, { source: "gift" }))).toEqual(["source"]);
      expect(pathsOf(await api.ledger(token, { before: "abc" }))).toEqual(["before"]);
      expect(pathsOf(await api.ledger(token, { limit: 500 }))).toEqual(["limit"]);
      expect(pathsOf(await api.ledger(token, { contact: "email:ghost@example.test" }))).toEqual(["contact"]);
      expect(pathsOf(await api.points(token, li.id, { before: 0 }))).toEqual(["before"]);
      expect((await api.points(token, "email:ghost@example.test")).status).toBe(404);
      expect(pathsOf(await api.patchSettings(token, { default_expiry_days: 0 }))).toEqual(["default_expiry_days"]);
      expect((await api.patchSettings(token, {})).status).toBe(422);
      expect((await api.patchSettings(token, { allowNegative: true })).status).toBe(422);
    });

    it("keeps the points settings: a name, negative balances, a default expiry for awards", async () => {
      const { token } = await setup();
      const li = (await api.createContact(token, { email: "li@example.test" })).json;
      expect((await api.settings(token)).json).toEqual({ points_name: null, allow_negative: false, default_expiry_days: null });
      const saved = await api.patchSettings(token, { points_name: "积分", default_expiry_days: 365 });
      expect(saved.status).toBe(200);
      expect(saved.json).toEqual({ points_name: "积分", allow_negative: false, default_expiry_days: 365 });
      expect((await api.settings(token)).json).toEqual(saved.json);

      // An award without expires_at expires after the default; null means never.
      const before = Date.now();
      const defaulted = await api.award(token, { contact: li.id, points: 10, idempotency_key: "a" });
      const expiry = Date.parse(defaulted.json.transaction.expires_at);
      expect(expiry).toBeGreaterThanOrEqual(before + 365 * day);
      expect(expiry).toBeLessThanOrEqual(Date.now() + 365 * day);
      expect((await api.award(token, { contact: li.id, points: 10, expires_at: null, idempotency_key: "b" })).json.transaction.expires_at).toBeNull();
      expect((await api.points(token, li.id)).json).toMatchObject({ points_name: "积分", balance: 20, expiring: { points: 10 } });

      expect((await api.redeemPoints(token, { contact: li.id, points: 25, idempotency_key: "r" })).status).toBe(422);
      expect((await api.patchSettings(token, { allow_negative: true, points_name: "" })).json).toEqual({ points_name: null, allow_negative: true, default_expiry_days: 365 });
      expect((await api.redeemPoints(token, { contact: li.id, points: 25, idempotency_key: "r" })).json.balance).toBe(-5);
      expect((await api.patchSettings(token, { default_expiry_days: null })).json.default_expiry_days).toBeNull();
    });

    it("creates generated and pool campaigns, uploads codes as JSON and CSV, and issues until out of stock", async () => {
      const { token } = await setup();
      const people = [];
      for (const email of ["a@example.test", "b@example.test", "c@example.test", "d@example.test"]) people.push((await api.createContact(token, { email })).json);

      const generated = await api.createCampaign(token, {
        name: "VIP",
        source: "generated",
        pattern: "VIP-XXXXXX",
        quantity: 3,
        value: { kind: "percent", percent: 15 },
        valid_until: new Date(Date.now() + 30 * day).toISOString(),
      });
      expect(generated.status).toBe(201);
      expect(generated.json).toMatchObject({ name: "VIP", status: "active", source: "generated", pattern: "VIP-XXXXXX", value: { kind: "percent", percent: 15 }, per_contact_limit: 1, available: 3, issued: 0, redeemed: 0, valid_from: null });

      // Issue until the stock runs out: three codes, all different, then 409 out_of_stock.
      const codes: string[] = [];
      for (const person of people.slice(0, 3)) {
        const issued = await api.issue(token, { campaign_id: generated.json.id, contact: person.id });
        expect(issued.status).toBe(201);
        expect(issued.json).toMatchObject({ status: "issued", campaign_id: generated.json.id, campaign_name: "VIP", contact_id: person.id, created: true, value: { kind: "percent", percent: 15 } });
        expect(issued.json.code).toMatch(/^VIP-[2-9A-HJKMNP-Z]{6}$/);
        codes.push(issued.json.code);
      }
      expect(new Set(codes).size).toBe(3);
      const out = await api.issue(token, { campaign_id: generated.json.id, contact: people[3].id });
      expect(out.status).toBe(409);
      expect(out.json.error).toMatchObject({ code: "out_of_stock", message: 'No codes are left in "VIP".' });
      expect((await api.campaign(token, generated.json.id)).json).toMatchObject({ available: 0, issued: 3, redeemed: 0 });

      const pool = await api.createCampaign(token, { name: "Spring", description: "Partner codes", source: "pool", value: { kind: "amount", amount: 20, currency: "CNY" }, per_contact_limit: 2 });
      expect(pool.status).toBe(201);
      expect(pool.json).toMatchObject({ source: "pool", pattern: null, available: 0, per_contact_limit: 2 });
      const json = await api.uploadCodes(token, pool.json.id, { codes: ["SPRING-1", "SPRING-2", "SPRING-1", " ", codes[0]] });
      expect(json.status).toBe(200);
      // Duplicates count once; a code the workspace already has (in any campaign) is skipped.
      expect(json.json).toEqual({ added: 2, skipped: 1, blank: 1, available: 2 });
      const csv = await api.uploadCsv(token, pool.json.id, "Code,batch\r\nSPRING-3,april\r\n\"SPRING-4\",april\r\nSPRING-2,april\r\n\r\nSPRING-5\n");
      expect(csv.status).toBe(200);
      expect(csv.json).toEqual({ added: 3, skipped: 1, blank: 0, available: 5 });
      expect((await api.uploadCsv(token, pool.json.id, "SPRING-6\nSPRING-7")).json).toMatchObject({ added: 2, available: 7 });

      // Two a contact here; the third is refused.
      const li = people[0];
      const first = await api.issue(token, { campaign_id: pool.json.id, contact: li.id });
      expect(first.json.code).toBe("SPRING-1");
      await api.issue(token, { campaign_id: pool.json.id, contact: "email:a@example.test" });
      const third = await api.issue(token, { campaign_id: pool.json.id, contact: li.id });
      expect(third.status).toBe(409);
      expect(third.json.error).toMatchObject({ code: "limit_reached", details: { held: 2, limit: 2 } });

      // An idempotency key gets the same code back, however often it is sent.
      const keyed = await api.issue(token, { campaign_id: pool.json.id, contact: people[1].id, idempotency_key: "signup-b" });
      expect(keyed.status).toBe(201);
      const again = await api.issue(token, { campaign_id: pool.json.id, contact: people[1].id, idempotency_key: "signup-b" });
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ code: keyed.json.code, created: false });
      expect((await api.issue(token, { campaign_id: pool.json.id, contact: people[2].id, idempotency_key: "signup-b" })).status).toBe(409);

      const listed = await api.campaigns(token);
      expect(listed.json.data.map((row: { name: string; available: number; issued: number }) => `${row.name}:${row.available}:${row.issued}`).toSorted()).toEqual(["Spring:4:3", "VIP:0:3"]);
      const mine = await api.coupons(token, "email:a@example.test");
      expect(mine.status).toBe(200);
      expect(mine.json.data.map((row: { code: string }) => row.code).toSorted()).toEqual([codes[0], "SPRING-1", "SPRING-2"].toSorted());
      expect(mine.json.data[0]).toMatchObject({ status: "issued", contact_id: li.id, redeemed_at: null });
    });

    it("redeems an issued coupon once and says why it refuses one", async () => {
      const { token } = await setup();
      const li = (await api.createContact(token, { email: "li@example.test" })).json;
      const bo = (await api.createContact(token, { email: "bo@example.test" })).json;
      const { json: campaign } = await api.createCampaign(token, { name: "Gift", source: "pool", value: { kind: "text", text: "A free coffee" } });
      await api.uploadCodes(token, campaign.id, { codes: ["GIFT-1", "GIFT-2"] });
      const { json: issued } = await api.issue(token, { campaign_id: campaign.id, contact: li.id });

      const other = await api.redeemCoupon(token, { code: issued.code, contact: bo.id });
      expect(other.status).toBe(409);
      expect(other.json.error).toMatchObject({ code: "conflict", message: "This coupon was issued to another contact." });
      const redeemed = await api.redeemCoupon(token, { code: issued.code, contact: "email:li@example.test", ref: "order-77" });
      expect(redeemed.status).toBe(200);
      expect(redeemed.json).toMatchObject({ code: "GIFT-1", status: "redeemed", contact_id: li.id, redeemed_ref: "order-77", value: { kind: "text", text: "A free coffee" } });
      expect(redeemed.json.redeemed_at).toMatch(/Z$/);
      const twice = await api.redeemCoupon(token, { code: issued.code });
      expect(twice.status).toBe(409);
      expect(twice.json.error.code).toBe("coupon_used");
      expect(twice.json.error.details.redeemed_at).toBe(redeemed.json.redeemed_at);

      const unissued = await api.redeemCoupon(token, { code: "GIFT-2" });
      expect(unissued.status).toBe(409);
      expect(unissued.json.error.code).toBe("coupon_not_issued");
      const unknown = await api.redeemCoupon(token, { code: "NOPE" });
      expect(unknown.status).toBe(404);
      expect(unknown.json.error.code).toBe("not_found");
      expect(pathsOf(await api.redeemCoupon(token, { code: "GIFT-2", contact: "email:ghost@example.test" }))).toEqual(["contact"]);
      expect(pathsOf(await api.redeemCoupon(token, {}))).toEqual(["code"]);
      expect((await api.coupons(token, li.id)).json.data).toEqual([expect.objectContaining({ code: "GIFT-1", status: "redeemed", redeemed_ref: "order-77" })]);

      // A campaign that ended: its coupons can no longer be issued or redeemed.
      const { json: ended } = await api.createCampaign(token, { name: "Old", source: "pool", value: { kind: "percent", percent: 5 }, valid_until: new Date(Date.now() + 60_000).toISOString() });
      await api.uploadCodes(token, ended.id, { codes: ["OLD-1", "OLD-2"] });
      const { json: oldCoupon } = await api.issue(token, { campaign_id: ended.id, contact: li.id });
      await db.execute(sql`update coupon_campaigns set valid_until = now() - interval '1 minute' where id = ${ended.id}`);
      expect((await api.redeemCoupon(token, { code: oldCoupon.code })).json.error.code).toBe("coupon_expired");
      expect((await api.issue(token, { campaign_id: ended.id, contact: bo.id })).json.error.code).toBe("coupon_expired");
    });

    it("edits and archives a campaign, and answers 422 with the path for bad campaign bodies", async () => {
      const { token } = await setup();
      const li = (await api.createContact(token, { email: "li@example.test" })).json;
      const validFrom = "2026-01-01T00:00:00.000Z";
      const { json: campaign } = await api.createCampaign(token, { name: "Summer", source: "pool", value: { kind: "percent", percent: 10 }, valid_from: validFrom });
      await api.uploadCodes(token, campaign.id, { codes: ["S-1", "S-2", "S-3"] });

      const patched = await api.patchCampaign(token, campaign.id, { name: "Summer sale", description: "Until September", valid_until: "2026-09-30T23:59:59+08:00", per_contact_limit: 3 });
      expect(patched.status).toBe(200);
      expect(patched.json).toMatchObject({ name: "Summer sale", description: "Until September", valid_from: validFrom, valid_until: "2026-09-30T15:59:59.000Z", per_contact_limit: 3, status: "active", available: 3 });
      expect((await api.patchCampaign(token, campaign.id, { valid_until: null, description: null })).json).toMatchObject({ valid_until: null, description: null, name: "Summer sale" });
      const early = await api.patchCampaign(token, campaign.id, { valid_until: "2025-06-01T00:00:00Z" });
      expect(early.status).toBe(422);
      expect(pathsOf(early)).toEqual(["valid_until"]);
      expect(pathsOf(await api.patchCampaign(token, campaign.id, { status: "active" }))).toEqual(["status"]);
      expect(pathsOf(await api.patchCampaign(token, campaign.id, { source: "generated" }))).toEqual([""]);
      expect((await api.patchCampaign(token, campaign.id, {})).status).toBe(422);

      const archived = await api.patchCampaign(token, campaign.id, { status: "archived" });
      expect(archived.json.status).toBe("archived");
      const refused = await api.issue(token, { campaign_id: campaign.id, contact: li.id });
      expect(refused.status).toBe(409);
      expect(refused.json.error.message).toBe("This coupon campaign is archived.");
      expect((await api.patchCampaign(token, campaign.id, { name: "Again" })).status).toBe(409);
      expect((await api.uploadCodes(token, campaign.id, { codes: ["S-4"] })).status).toBe(409);

      const { json: generated } = await api.createCampaign(token, { name: "Gen", source: "generated", pattern: "G-XXXX", quantity: 2, value: { kind: "percent", percent: 5 } });
      const intoGenerated = await api.uploadCodes(token, generated.id, { codes: ["G-1"] });
      expect(intoGenerated.status).toBe(409);
      expect(intoGenerated.json.error.message).toBe("This campaign generates its codes; codes are uploaded to pool campaigns.");

      const value = { kind: "amount", amount: 5, currency: "CNY" };
      const cases: Array<[unknown, string]> = [
        [{ name: "", source: "pool", value }, "name"],
        [{ name: "x", source: "mixed", value }, "source"],
        [{ name: "x", source: "pool", value: { kind: "amount", amount: 5 } }, "value.currency"],
        [{ name: "x", source: "pool", value: { kind: "bogof" } }, "value.kind"],
        [{ name: "x", source: "pool", value: { kind: "percent", percent: 120 } }, "value.percent"],
        [{ name: "x", source: "pool", value, pattern: "X-XXXX" }, "pattern"],
        [{ name: "x", source: "generated", value, quantity: 5 }, "pattern"],
        [{ name: "x", source: "generated", value, pattern: "X-XXXX" }, "quantity"],
        [{ name: "x", source: "generated", value, pattern: "FIXED", quantity: 5 }, "pattern"],
        [{ name: "x", source: "generated", value, pattern: "A-X", quantity: 50 }, "pattern"],
        [{ name: "x", source: "pool", value, valid_from: "2026-02-01T00:00:00Z", valid_until: "2026-01-01T00:00:00Z" }, "valid_until"],
        [{ name: "x", source: "pool", value, per_contact_limit: 0 }, "per_contact_limit"],
        [{ name: "x", source: "pool", value, perContactLimit: 2 }, ""],
      ];
      for (const [body, path] of cases) {
        const reply = await api.createCampaign(token, body);
        expect(reply.status, JSON.stringify(body)).toBe(422);
        expect(pathsOf(reply), JSON.stringify(body)).toContain(path);
      }

      const { json: pool } = await api.createCampaign(token, { name: "Pool", source: "pool", value });
      expect(pathsOf(await api.uploadCodes(token, pool.id, { codes: [] }))).toEqual(["codes"]);
      expect(pathsOf(await api.uploadCodes(token, pool.id, { codes: ["x".repeat(101)] }))).toEqual(["codes.0"]);
      expect(pathsOf(await api.uploadCodes(token, pool.id, { codes: Array.from({ length: 100_001 }, (_, index) => `C${index}`) }))).toEqual(["codes"]);
      expect(pathsOf(await api.uploadCsv(token, pool.id, `A\n${"y".repeat(101)}\n`))).toEqual(["codes.1"]);
      expect((await api.uploadCsv(token, pool.id, "A\u0000B\n")).status).toBe(400);
      expect(pathsOf(await api.issue(token, { campaign_id: nobody, contact: li.id }))).toEqual(["campaign_id"]);
      expect(pathsOf(await api.issue(token, { campaign_id: "nope", contact: li.id }))).toEqual(["campaign_id"]);
      expect(pathsOf(await api.issue(token, { campaign_id: pool.id, contact: "email:ghost@example.test" }))).toEqual(["contact"]);
    });

    it("takes 100,000 codes in one CSV upload", async () => {
      const { token } = await setup();
      const { json: pool } = await api.createCampaign(token, { name: "Big", source: "pool", value: { kind: "percent", percent: 5 } });
      const csv = ["code", ...Array.from({ length: 100_000 }, (_, index) => `BIG-${index.toString().padStart(6, "0")}`)].join("\n");
      const reply = await api.uploadCsv(token, pool.id, csv);
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ added: 100_000, skipped: 0, blank: 0, available: 100_000 });
    });

    it("keeps another workspace's monitors, contacts, campaigns and coupons out of reach, and answers 404 for an id that is not one", async () => {
      const mine = await setup();
      const theirs = await setup();
      const li = (await api.createContact(mine.token, { email: "li@example.test" })).json;
      const { json: monitor } = await api.createMonitor(mine.token, { example: "repeat_buyer" });
      const { json: campaign } = await api.createCampaign(mine.token, { name: "Mine", source: "pool", value: { kind: "percent", percent: 5 } });
      await api.uploadCodes(mine.token, campaign.id, { codes: ["MINE-1", "MINE-2"] });
      const { json: coupon } = await api.issue(mine.token, { campaign_id: campaign.id, contact: li.id });
      await api.award(mine.token, { contact: li.id, points: 10, idempotency_key: "k" });

      // 36 characters of hex digits and dashes that Postgres cannot read as a uuid are not ids either.
      const almostUuid = "0000-0000-0000-0000-0000-0000-0000-0";
      for (const id of [monitor.id, "not-a-uuid", nobody, almostUuid]) {
        for (const reply of [
          await api.monitor(theirs.token, id),
          await api.patchMonitor(theirs.token, id, { name: "Stolen" }),
          await api.deleteMonitor(theirs.token, id),
          await api.activate(theirs.token, id),
          await api.pause(theirs.token, id),
          await api.archive(theirs.token, id),
          await api.matches(theirs.token, id),
          await api.testMonitor(theirs.token, id, { contact: li.id }),
        ]) {
          expect(reply.status).toBe(404);
          expect(reply.json.error.code).toBe("not_found");
        }
      }
      for (const id of [campaign.id, "not-a-uuid", nobody, almostUuid]) {
        for (const reply of [await api.campaign(theirs.token, id), await api.patchCampaign(theirs.token, id, { name: "Stolen" }), await api.uploadCodes(theirs.token, id, { codes: ["X"] })]) {
          expect(reply.status).toBe(404);
          expect(reply.json.error.code).toBe("not_found");
        }
      }
      for (const ref of [li.id, "email:li@example.test", "not-a-uuid"]) {
        expect((await api.points(theirs.token, ref)).status).toBe(404);
        expect((await api.coupons(theirs.token, ref)).status).toBe(404);
      }
      // Their references in a body find nothing here.
      expect(pathsOf(await api.award(theirs.token, { contact: li.id, points: 5, idempotency_key: "x" }))).toEqual(["contact"]);
      expect(pathsOf(await api.redeemPoints(theirs.token, { contact: "email:li@example.test", points: 5, idempotency_key: "x" }))).toEqual(["contact"]);
      expect(pathsOf(await api.issue(theirs.token, { campaign_id: campaign.id, contact: li.id }))).toEqual(["campaign_id"]);
      expect(pathsOf(await api.ledger(theirs.token, { contact: li.id }))).toEqual(["contact"]);
      expect((await api.redeemCoupon(theirs.token, { code: coupon.code })).status).toBe(404);
      expect((await api.monitors(theirs.token)).json.data).toEqual([]);
      expect((await api.campaigns(theirs.token)).json.data).toEqual([]);
      expect((await api.ledger(theirs.token)).json.data).toEqual([]);
      // The same idempotency key in another workspace is another key.
      const { json: bo } = await api.createContact(theirs.token, { email: "bo@example.test" });
      expect((await api.award(theirs.token, { contact: bo.id, points: 10, idempotency_key: "k" })).status).toBe(201);

      expect((await api.monitor(mine.token, monitor.id)).json).toMatchObject({ name: "3 purchases in 30 days", status: "draft" });
      expect((await api.campaign(mine.token, campaign.id)).json).toMatchObject({ name: "Mine", available: 1, issued: 1 });
      expect((await api.points(mine.token, li.id)).json.balance).toBe(10);
    });
  });
}

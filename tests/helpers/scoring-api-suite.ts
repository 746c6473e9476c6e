import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { getDatabase, type Database, type Db } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { eventProcess } from "@/jobs/event-process";
import { jobs } from "@/jobs/registry";
import { recalculateScores } from "@/lib/scoring/recalculate";
import { parseBatchItem } from "@/lib/tracking/calls";
import { ingestCalls } from "@/lib/tracking/ingest";
import * as rulesRoute from "@/app/api/v1/scoring/rules/route";
import * as ruleRoute from "@/app/api/v1/scoring/rules/[id]/route";
import * as settingsRoute from "@/app/api/v1/scoring/settings/route";
import * as recalculateRoute from "@/app/api/v1/scoring/recalculate/route";
import * as contactScoreRoute from "@/app/api/v1/contacts/[id]/score/route";
import { createOwnedWorkspace } from "./accounts";
import { callRoute as call } from "./route-call";

const vpRule = { kind: "attribute", name: "VP title", rule: { in: ["VP", { var: "attributes.job_title" }] }, points: 20 };
const pricingRule = { kind: "behaviour", name: "Visited pricing", event: "Page Viewed", where: { in: ["/pricing", { var: "properties.path" }] }, points: 10, cap: { count: 3, per: "week" } };

/** The lead-scoring REST API against the process-wide database, pointed at `kind` by the calling file. */
export function scoringApiSuite(kind: "embedded" | "postgres") {
  describe(`lead scoring REST API on ${kind}`, () => {
    let database: Database;
    let db: Db;
    let boss: PgBoss;

    beforeAll(async () => {
      database = await getDatabase();
      expect(database.kind).toBe(kind);
      db = database.db;
      // A recalculation and the MQL hand-off queue jobs through the process-wide boss.
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

    async function track(workspaceId: string, calls: Record<string, unknown>[]) {
      await ingestCalls(
        db,
        workspaceId,
        calls.map((raw, index) => {
          const parsed = parseBatchItem({ messageId: `s-${Date.now()}-${Math.random()}-${index}`, ...raw });
          if ("reason" in parsed) throw new Error(parsed.reason);
          return parsed.call;
        }),
      );
      await eventProcess.handle({ workspaceId }, { database, db, jobId: "test", attempt: 0 });
    }

    const api = {
      rules: (token: string | undefined) => call(rulesRoute.GET, "GET", "/api/v1/scoring/rules", { token }),
      create: (token: string | undefined, body: unknown) => call(rulesRoute.POST, "POST", "/api/v1/scoring/rules", { token, body }),
      rule: (token: string | undefined, id: string) => call(ruleRoute.GET, "GET", `/api/v1/scoring/rules/${id}`, { token, params: { id } }),
      patch: (token: string | undefined, id: string, body: unknown) => call(ruleRoute.PATCH, "PATCH", `/api/v1/scoring/rules/${id}`, { token, body, params: { id } }),
      remove: (token: string | undefined, id: string) => call(ruleRoute.DELETE, "DELETE", `/api/v1/scoring/rules/${id}`, { token, params: { id } }),
      settings: (token: string | undefined) => call(settingsRoute.GET, "GET", "/api/v1/scoring/settings", { token }),
      saveSettings: (token: string | undefined, body: unknown) => call(settingsRoute.PATCH, "PATCH", "/api/v1/scoring/settings", { token, body }),
      recalculate: (token: string | undefined) => call(recalculateRoute.POST, "POST", "/api/v1/scoring/recalculate", { token }),
      score: (token: string | undefined, ref: string, query: Record<string, string | number> = {}) =>
        call(contactScoreRoute.GET, "GET", `/api/v1/contacts/${encodeURIComponent(ref)}/score`, { token, params: { id: ref }, query }),
    };

    it("answers 401 without a secret key, on every route, and to a write key", async () => {
      const { writeKey } = await setup();
      const id = "00000000-0000-0000-0000-000000000000";
      for (const token of [undefined, writeKey]) {
        const replies = await Promise.all([
          api.rules(token),
          api.create(token, vpRule),
          api.rule(token, id),
          api.patch(token, id, { points: 5 }),
          api.remove(token, id),
          api.settings(token),
          api.saveSettings(token, { thresholds: { mql: 50 } }),
          api.recalculate(token),
          api.score(token, id),
        ]);
        expect(replies.map((reply) => reply.status)).toEqual(Array(replies.length).fill(401));
        expect(replies[0].json.error.code).toBe("unauthorized");
      }
    });

    it("creates, lists, reads, changes and deletes rules, refusing invalid ones with 422 and where they are wrong", async () => {
      const { workspace, token } = await setup();
      await track(workspace.id, [{ type: "identify", userId: "ann", traits: { job_title: "Engineer" } }]);

      const fit = await api.create(token, vpRule);
      expect(fit.status).toBe(201);
      expect(fit.json).toMatchObject({ kind: "attribute", name: "VP title", rule: vpRule.rule, points: 20, active: true });
      expect(fit.json.id).toMatch(/^[0-9a-f-]{36}$/);
      const engagement = await api.create(token, pricingRule);
      expect(engagement.status).toBe(201);
      expect(engagement.json).toMatchObject({ kind: "behaviour", event: "Page Viewed", where: pricingRule.where, cap: { count: 3, per: "week" }, points: 10 });
      expect(engagement.json).not.toHaveProperty("rule");

      const list = await api.rules(token);
      expect(list.status).toBe(200);
      expect(list.json.data.map((rule: { name: string }) => rule.name)).toEqual(["VP title", "Visited pricing"]);
      expect(list.json.data[1].scored_30d).toBe(0);
      expect((await api.rule(token, fit.json.id)).json).toEqual(fit.json);

      const patched = await api.patch(token, engagement.json.id, { points: 15, cap: null, active: false });
      expect(patched.status).toBe(200);
      expect(patched.json).toMatchObject({ points: 15, cap: null, active: false, event: "Page Viewed" });

      // Refusals: 422 with the field and the path inside the rule.
      const badWhere = await api.patch(token, engagement.json.id, { where: { ">": [{ var: "attributes.job_title" }, 1] } });
      expect(badWhere.status).toBe(422);
      expect(badWhere.json.error.message).toMatch(/^Invalid where at where\.>\[0\]\.var: inside an event's where/);
      expect(badWhere.json.error.details[0]).toMatchObject({ path: "where", code: "event_property_name", at: "$.>[0].var" });
      const unknownAttribute = await api.create(token, { ...vpRule, rule: { "==": [{ var: "attributes.nope" }, "x"] } });
      expect(unknownAttribute.status).toBe(422);
      expect(unknownAttribute.json.error.details[0]).toMatchObject({ path: "rule", code: "unknown_attribute" });
      const readsScore = await api.create(token, { ...vpRule, rule: { ">": [{ var: "score" }, 10] } });
      expect(readsScore.status).toBe(422);
      expect(readsScore.json.error.details[0].code).toBe("fit_reads_score");
      const zero = await api.create(token, { ...pricingRule, points: 0 });
      expect(zero.status).toBe(422);
      expect(zero.json.error.details[0].path).toBe("points");
      const noKind = await api.create(token, { name: "x", points: 5 });
      expect(noKind.status).toBe(422);
      const badCap = await api.create(token, { ...pricingRule, cap: { count: 3, per: "year" } });
      expect(badCap.status).toBe(422);
      expect(badCap.json.error.details[0].path).toBe("cap.per");
      const malformed = await call(rulesRoute.POST, "POST", "/api/v1/scoring/rules", { token, raw: "{" });
      expect(malformed.status).toBe(400);

      expect((await api.rule(token, "nope")).status).toBe(404);
      expect((await api.patch(token, "00000000-0000-0000-0000-000000000000", { points: 1 })).status).toBe(404);
      const removed = await api.remove(token, fit.json.id);
      expect(removed.json).toEqual({ deleted: true, id: fit.json.id });
      expect((await api.rule(token, fit.json.id)).status).toBe(404);
      expect((await api.remove(token, fit.json.id)).status).toBe(404);

      // Another workspace's key sees none of it.
      const other = await setup();
      expect((await api.rule(other.token, engagement.json.id)).status).toBe(404);
      expect((await api.rules(other.token)).json.data).toEqual([]);
    });

    it("reads and saves settings: thresholds in order, an owner who is a member, an http(s) webhook", async () => {
      const { owner, token } = await setup();
      expect((await api.settings(token)).json).toEqual({
        decay: { kind: "none" },
        thresholds: { lead: null, mql: null, sql: null, customer: null },
        owner: null,
        handoff_webhook_url: null,
        recalculation: null,
        updated_at: null,
      });
      const saved = await api.saveSettings(token, {
        decay: { kind: "halve", days: 14 },
        thresholds: { lead: 10, mql: 50, sql: 80 },
        owner: owner.email.toUpperCase(),
        handoff_webhook_url: "https://crm.example.test/mql",
      });
      expect(saved.status).toBe(200);
      expect(saved.json).toMatchObject({
        decay: { kind: "halve", days: 14 },
        thresholds: { lead: 10, mql: 50, sql: 80, customer: null },
        owner: { id: owner.id, email: owner.email },
        handoff_webhook_url: "https://crm.example.test/mql",
      });

      const outOfOrder = await api.saveSettings(token, { thresholds: { lead: 50, mql: 40 } });
      expect(outOfOrder.status).toBe(422);
      expect(outOfOrder.json.error.details[0].path).toBe("thresholds.mql");
      const stranger = await api.saveSettings(token, { owner: "nobody@example.test" });
      expect(stranger.status).toBe(422);
      expect(stranger.json.error.details[0].path).toBe("owner");
      expect((await api.saveSettings(token, { handoff_webhook_url: "ftp://crm.example.test" })).status).toBe(422);
      expect((await api.saveSettings(token, { decay: { kind: "halve", days: 0 } })).status).toBe(422);
      expect((await api.saveSettings(token, { unknown: true })).status).toBe(422);

      const cleared = await api.saveSettings(token, { owner: null, handoff_webhook_url: null, decay: { kind: "none" } });
      expect(cleared.json).toMatchObject({ owner: null, handoff_webhook_url: null, decay: { kind: "none" }, thresholds: { mql: 50 } });
    });

    it("queues one recalculation at a time (202, then 409) and reports its progress", async () => {
      const { workspace, token } = await setup();
      await track(workspace.id, [
        { type: "identify", userId: "u1", traits: { job_title: "VP Sales" } },
        { type: "identify", userId: "u2", traits: { job_title: "Engineer" } },
      ]);
      await api.create(token, vpRule);
      const started = await api.recalculate(token);
      expect(started.status).toBe(202);
      expect(started.json).toMatchObject({ done: 0, total: 2, finished_at: null });
      const again = await api.recalculate(token);
      expect(again.status).toBe(409);
      expect(again.json.error.code).toBe("conflict");

      // The job's work, run here: the progress ends at every contact.
      await recalculateScores(db, workspace.id, started.json.started_at);
      const settings = await api.settings(token);
      expect(settings.json.recalculation).toMatchObject({ started_at: started.json.started_at, done: 2, total: 2 });
      expect(settings.json.recalculation.finished_at).toEqual(expect.any(String));
      const u1 = await api.score(token, "external_id:u1");
      expect(u1.json).toMatchObject({ score: 20, fit: 20, engagement: 0 });
      expect(u1.json.history.map((row: { kind: string }) => row.kind)).toEqual(["recalculation"]);
    });

    it("reads a contact's score, parts, stage and history, by id, email: or external_id:", async () => {
      const { workspace, token } = await setup();
      await api.create(token, { ...pricingRule, cap: null });
      await api.saveSettings(token, { thresholds: { lead: 10, mql: 30 } });
      await track(workspace.id, [
        { type: "identify", userId: "zoe", traits: { email: "zoe@example.test" } },
        ...[1, 2, 3].map((hours) => ({ type: "track", event: "Page Viewed", userId: "zoe", properties: { path: "/pricing" }, timestamp: new Date(Date.now() - hours * 3_600_000).toISOString() })),
      ]);
      const reply = await api.score(token, "email:zoe@example.test");
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ score: 30, fit: 0, engagement: 30, lifecycle_stage: "mql" });
      expect(reply.json.history.map((row: { kind: string; delta: number; score_after: number }) => `${row.kind}:${row.delta}:${row.score_after}`)).toEqual([
        "stage:0:30",
        "engagement:10:30",
        "engagement:10:20",
        "engagement:10:10",
      ]);
      expect(reply.json.history[1]).toMatchObject({ rule_name: "Visited pricing", reason: "Visited pricing", event_id: expect.any(Number) });
      const byId = await api.score(token, reply.json.contact_id, { limit: 2 });
      expect(byId.json.history).toHaveLength(2);
      expect((await api.score(token, "external_id:zoe")).json.score).toBe(30);
      expect((await api.score(token, "email:nobody@example.test")).status).toBe(404);
      expect((await api.score(token, reply.json.contact_id, { limit: 0 })).status).toBe(422);
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { sql } from "drizzle-orm";
import { getDatabase, type Db } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { queryRows } from "@/db/sql";
import { getBoss } from "@/jobs/boss";
import * as contactsRoute from "@/app/api/v1/contacts/route";
import * as contactSegmentsRoute from "@/app/api/v1/contacts/[id]/segments/route";
import * as segmentsRoute from "@/app/api/v1/segments/route";
import * as segmentRoute from "@/app/api/v1/segments/[id]/route";
import * as previewRoute from "@/app/api/v1/segments/preview/route";
import * as recomputeRoute from "@/app/api/v1/segments/[id]/recompute/route";
import * as membersRoute from "@/app/api/v1/segments/[id]/members/route";
import { createOwnedWorkspace } from "./accounts";
import { callRoute as call } from "./route-call";


/** The segments REST API against the process-wide database, pointed at `kind` by the calling file. */
export function segmentsApiSuite(kind: "embedded" | "postgres") {
  describe(`segments REST API on ${kind}`, () => {
    let db: Db;

    beforeAll(async () => {
      const database = await getDatabase();
      expect(database.kind).toBe(kind);
      db = database.db;
    });
    afterAll(async () => {
      await (await getBoss()).stop({ graceful: false, wait: true, timeout: 2000 });
      await (await getDatabase()).close();
      (globalThis as { tidelineDatabase?: unknown }).tidelineDatabase = undefined;
    });

    async function workspaceWithKey() {
      const { workspace } = await createOwnedWorkspace(db);
      const { token } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Server" });
      return { workspace, token };
    }

    const api = {
      createContact: (token: string, body: unknown) => call(contactsRoute.POST, "POST", "/api/v1/contacts", { token, body }),
      create: (token: string, body: unknown) => call(segmentsRoute.POST, "POST", "/api/v1/segments", { token, body }),
      list: (token: string) => call(segmentsRoute.GET, "GET", "/api/v1/segments", { token }),
      get: (token: string, id: string) => call(segmentRoute.GET, "GET", `/api/v1/segments/${id}`, { token, params: { id } }),
      patch: (token: string, id: string, body: unknown) => call(segmentRoute.PATCH, "PATCH", `/api/v1/segments/${id}`, { token, body, params: { id } }),
      remove: (token: string, id: string) => call(segmentRoute.DELETE, "DELETE", `/api/v1/segments/${id}`, { token, params: { id } }),
      preview: (token: string, rule: unknown) => call(previewRoute.POST, "POST", "/api/v1/segments/preview", { token, body: { rule } }),
      recompute: (token: string, id: string, query: Record<string, string> = {}) =>
        call(recomputeRoute.POST, "POST", `/api/v1/segments/${id}/recompute`, { token, params: { id }, query }),
      members: (token: string, id: string, query: Record<string, string | number> = {}) =>
        call(membersRoute.GET, "GET", `/api/v1/segments/${id}/members`, { token, params: { id }, query }),
      change: (token: string, id: string, body: unknown) => call(membersRoute.POST, "POST", `/api/v1/segments/${id}/members`, { token, body, params: { id } }),
      contactSegments: (token: string, id: string) =>
        call(contactSegmentsRoute.GET, "GET", `/api/v1/contacts/${id}/segments`, { token, params: { id } }),
    };

    async function queuedRecomputes(segmentId: string) {
      const [row] = await queryRows<{ count: number }>(
        db,
        sql`select count(*)::int as count from pgboss.job where name = 'segment.recompute' and singleton_key = ${segmentId}`,
      );
      return Number(row.count);
    }

    const proRule = { "==": [{ var: "attributes.plan" }, "pro"] };

    it("creates a segment (201, recompute queued), recomputes it and pages through its members", async () => {
      const { token } = await workspaceWithKey();
      for (let index = 0; index < 7; index++) {
        const created = await api.createContact(token, { email: `p${index}@example.com`, attributes: { plan: index < 5 ? "pro" : "free" } });
        expect(created.status).toBe(201);
      }
      const created = await api.create(token, { name: "Pro plan", description: "Paying", rule: proRule });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ id: expect.any(String), name: "Pro plan", description: "Paying", kind: "dynamic", rule: proRule, member_count: 0, computed_at: null });
      const id = created.json.id as string;
      expect(await queuedRecomputes(id)).toBe(1);

      const recomputed = await api.recompute(token, id);
      expect(recomputed.status).toBe(200);
      expect(recomputed.json).toEqual({ entered: 5, exited: 0, members: 5 });
      expect((await api.recompute(token, id)).json).toEqual({ entered: 0, exited: 0, members: 5 });

      const emails: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await api.members(token, id, cursor ? { limit: 2, cursor } : { limit: 2 });
        expect(page.status).toBe(200);
        expect(page.json.data.length).toBeLessThanOrEqual(2);
        for (const member of page.json.data) expect(member).toMatchObject({ id: expect.any(String), external_id: null, email: expect.any(String) });
        emails.push(...page.json.data.map((member: { email: string }) => member.email));
        cursor = page.json.next_cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(emails.sort()).toEqual(["p0@example.com", "p1@example.com", "p2@example.com", "p3@example.com", "p4@example.com"]);
      expect((await api.members(token, id, { cursor: "garbage!" })).status).toBe(400);
      expect((await api.members(token, id, { limit: 501 })).status).toBe(422);

      const fetched = await api.get(token, id);
      expect(fetched.json).toMatchObject({ member_count: 5, computed_at: expect.any(String), error: null });
      expect((await api.list(token)).json.data.map((segment: { id: string }) => segment.id)).toEqual([id]);

      const queued = await api.recompute(token, id, { async: "1" });
      expect(queued.status).toBe(202);
      expect(queued.json.queued).toBe(true);

      const member = await api.contactSegments(token, "email:p0@example.com");
      expect(member.status).toBe(200);
      expect(member.json.data).toEqual([expect.objectContaining({ segment_id: id, name: "Pro plan", kind: "dynamic", member: true, exited_at: null })]);
      expect((await api.contactSegments(token, "email:p6@example.com")).json.data).toEqual([]);
    });

    it("refuses an invalid rule with 422 and the path of the offending part, on create and on change", async () => {
      const { token } = await workspaceWithKey();
      const bad = await api.create(token, { name: "Bad", rule: { and: [{ "==": [{ var: "email" }, "a@b.c"] }, { frobnicate: [1] }] } });
      expect(bad.status).toBe(422);
      expect(bad.json.error.code).toBe("validation_failed");
      expect(bad.json.error.details[0]).toEqual({ path: "$.and[1].frobnicate", message: 'unknown operator "frobnicate"', code: "unknown_operator", params: { op: "frobnicate" } });
      expect(bad.json.error.message).toContain("$.and[1].frobnicate");

      const missingRule = await api.create(token, { name: "No rule" });
      expect(missingRule.status).toBe(422);
      expect(missingRule.json.error.details[0].path).toBe("rule");

      const good = await api.create(token, { name: "Good", rule: { "!!": [{ var: "email" }] } });
      const badPatch = await api.patch(token, good.json.id, { rule: { "==": [{ var: "no_such_field" }, 1] } });
      expect(badPatch.status).toBe(422);
      expect(badPatch.json.error.details[0].path).toEqual(expect.any(String));
      // The stored rule did not change.
      expect((await api.get(token, good.json.id)).json.rule).toEqual({ "!!": [{ var: "email" }] });

      const renamed = await api.patch(token, good.json.id, { name: "Has email", rule: { "==": [{ var: "first_name" }, "Ada"] } });
      expect(renamed.status).toBe(200);
      expect(renamed.json).toMatchObject({ name: "Has email" });
      expect(await queuedRecomputes(good.json.id)).toBeGreaterThanOrEqual(1);
    });

    it("previews a rule's count and a sample without saving anything", async () => {
      const { token } = await workspaceWithKey();
      await api.createContact(token, { email: "a@example.com", attributes: { seats: 3 } });
      await api.createContact(token, { email: "b@example.com", attributes: { seats: 12 } });
      await api.createContact(token, { email: "c@example.com", attributes: { seats: 20 } });
      const preview = await api.preview(token, { ">=": [{ var: "attributes.seats" }, 10] });
      expect(preview.status).toBe(200);
      expect(preview.json.count).toBe(2);
      expect(preview.json.sample.map((contact: { email: string }) => contact.email).sort()).toEqual(["b@example.com", "c@example.com"]);
      expect((await api.list(token)).json.data).toEqual([]);
      const invalid = await api.preview(token, { ">=": [{ var: "attributes.seats" }] });
      expect(invalid.status).toBe(422);
      expect(invalid.json.error.details[0].path).toEqual(expect.any(String));
    });

    it("adds and removes members of a static list, and refuses that on a dynamic segment", async () => {
      const { token } = await workspaceWithKey();
      const ids: string[] = [];
      for (const email of ["x@example.com", "y@example.com", "z@example.com"]) ids.push((await api.createContact(token, { email })).json.id);
      const list = await api.create(token, { name: "VIP list", kind: "static" });
      expect(list.status).toBe(201);
      expect(list.json).toMatchObject({ kind: "static", rule: null });
      expect(await queuedRecomputes(list.json.id)).toBe(0);

      expect((await api.change(token, list.json.id, { add: ids })).json).toEqual({ entered: 3, exited: 0, members: 3 });
      expect((await api.change(token, list.json.id, { remove: [ids[1]], add: [ids[0]] })).json).toEqual({ entered: 0, exited: 1, members: 2 });
      const members = await api.members(token, list.json.id);
      expect(members.json.data.map((member: { email: string }) => member.email).sort()).toEqual(["x@example.com", "z@example.com"]);
      expect((await api.change(token, list.json.id, {})).status).toBe(422);

      const dynamic = await api.create(token, { name: "Everyone", rule: { "!!": [{ var: "email" }] } });
      const refused = await api.change(token, dynamic.json.id, { add: [ids[1]] });
      expect(refused.status).toBe(409);
      expect(refused.json.error.message).toContain("dynamic");
      expect((await api.create(token, { name: "List with rule", kind: "static", rule: true })).status).toBe(422);
      expect((await api.patch(token, list.json.id, { rule: true })).status).toBe(400);
    });

    it("refuses to delete a segment another segment reads (409), then deletes it once freed", async () => {
      const { token } = await workspaceWithKey();
      const base = await api.create(token, { name: "Base", rule: { "!!": [{ var: "email" }] } });
      const reader = await api.create(token, { name: "Reader", rule: { in_segment: { segment: base.json.id } } });
      expect(reader.status).toBe(201);
      const refused = await api.remove(token, base.json.id);
      expect(refused.status).toBe(409);
      expect(refused.json.error.message).toContain('"Reader"');
      expect((await api.remove(token, reader.json.id)).json).toEqual({ deleted: true, id: reader.json.id });
      expect((await api.remove(token, base.json.id)).status).toBe(200);
      expect((await api.get(token, base.json.id)).status).toBe(404);
    });

    it("keeps workspaces apart", async () => {
      const mine = await workspaceWithKey();
      const theirs = await workspaceWithKey();
      const contact = await api.createContact(theirs.token, { email: "them@example.com" });
      const segment = await api.create(theirs.token, { name: "Theirs", rule: { "!!": [{ var: "email" }] } });
      await api.recompute(theirs.token, segment.json.id);
      const id = segment.json.id as string;

      expect((await api.get(mine.token, id)).status).toBe(404);
      expect((await api.patch(mine.token, id, { name: "Mine" })).status).toBe(404);
      expect((await api.remove(mine.token, id)).status).toBe(404);
      expect((await api.recompute(mine.token, id)).status).toBe(404);
      expect((await api.members(mine.token, id)).status).toBe(404);
      expect((await api.contactSegments(mine.token, contact.json.id)).status).toBe(404);
      expect((await api.list(mine.token)).json.data).toEqual([]);
      expect((await api.preview(mine.token, { "!!": [{ var: "email" }] })).json.count).toBe(0);
      // A rule may not read another workspace's segment.
      expect((await api.create(mine.token, { name: "Sneaky", rule: { in_segment: { segment: id } } })).status).toBe(422);
      const list = await api.create(mine.token, { name: "Mine", kind: "static" });
      expect((await api.change(mine.token, list.json.id, { add: [contact.json.id] })).json).toEqual({ entered: 0, exited: 0, members: 0 });
      expect((await api.get(theirs.token, id)).json.member_count).toBe(1);
    });

    it("asks for a secret key", async () => {
      const response = await segmentsRoute.GET(new NextRequest("http://localhost/api/v1/segments"), { params: Promise.resolve({}) });
      expect(response.status).toBe(401);
    });
  });
}

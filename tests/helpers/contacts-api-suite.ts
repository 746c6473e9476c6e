import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDatabase, type Db } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { attributeDefinitions, contactIdentities, contacts, events, type JsonObject } from "@/db/schema";
import { processPendingEvents } from "@/lib/tracking/process";
import * as contactsRoute from "@/app/api/v1/contacts/route";
import * as contactRoute from "@/app/api/v1/contacts/[id]/route";
import * as eventsRoute from "@/app/api/v1/contacts/[id]/events/route";
import * as exportRoute from "@/app/api/v1/contacts/[id]/export/route";
import * as attributesRoute from "@/app/api/v1/attributes/route";
import * as attributeRoute from "@/app/api/v1/attributes/[key]/route";
import { createOwnedWorkspace } from "./accounts";
import { callRoute as call } from "./route-call";


/**
 * The contacts and attributes REST API against the process-wide database, which the calling
 * test file has pointed at `kind` (DATA_DIR or DATABASE_URL) before anything opened it.
 */
export function contactsApiSuite(kind: "embedded" | "postgres") {
  describe(`contacts REST API on ${kind}`, () => {
    let db: Db;

    beforeAll(async () => {
      const database = await getDatabase();
      expect(database.kind).toBe(kind);
      db = database.db;
    });
    afterAll(async () => {
      const database = await getDatabase();
      await database.close();
      (globalThis as { tidelineDatabase?: unknown }).tidelineDatabase = undefined;
    });

    async function workspaceWithKey(name = "Acme") {
      const { workspace } = await createOwnedWorkspace(db, name);
      const { token } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Server" });
      return { workspace, token };
    }

    const create = (token: string, body: unknown) => call(contactsRoute.POST, "POST", "/api/v1/contacts", { token, body });
    const get = (token: string, id: string) =>
      call(contactRoute.GET, "GET", `/api/v1/contacts/${encodeURIComponent(id)}`, { token, params: { id } });
    const patch = (token: string, id: string, body: unknown) =>
      call(contactRoute.PATCH, "PATCH", `/api/v1/contacts/${encodeURIComponent(id)}`, { token, body, params: { id } });
    const list = (token: string, query: Record<string, string | number> = {}) =>
      call(contactsRoute.GET, "GET", "/api/v1/contacts", { token, query });

    async function addEvent(workspaceId: string, contactId: string, name: string, timestamp: string, properties: JsonObject = {}) {
      await db.insert(events).values({
        workspaceId,
        contactId,
        messageId: `${name}-${Math.random()}`,
        type: "track",
        name,
        properties,
        timestamp: new Date(timestamp),
        processedAt: new Date(),
      });
    }

    it("creates a contact (201) with identities, discovers its attributes, and reads it back by id, external id or email", async () => {
      const { workspace, token } = await workspaceWithKey();
      const created = await create(token, {
        external_id: "user-1",
        email: "  Ada@Example.COM ",
        first_name: "Ada",
        last_name: "Lovelace",
        timezone: "Europe/London",
        locale: "en-GB",
        lifecycle_stage: "lead",
        attributes: { plan: "pro", seats: 3 },
        tags: [" vip ", "beta", "vip"],
      });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({
        id: expect.any(String),
        external_id: "user-1",
        email: "ada@example.com",
        first_name: "Ada",
        last_name: "Lovelace",
        timezone: "Europe/London",
        locale: "en-GB",
        lifecycle_stage: "lead",
        attributes: { plan: "pro", seats: 3 },
        tags: ["beta", "vip"],
        score: 0,
        company: null,
        last_seen_at: null,
      });
      expect(created.json.identities.map((identity: { kind: string; value: string }) => [identity.kind, identity.value]).sort()).toEqual([
        ["email", "ada@example.com"],
        ["user_id", "user-1"],
      ]);
      const id = created.json.id as string;

      for (const ref of [id, "external_id:user-1", "email:ADA@example.com"]) {
        const found = await get(token, ref);
        expect(found.status, ref).toBe(200);
        expect(found.json.id).toBe(id);
      }
      for (const ref of ["external_id:nobody", "email:nobody@example.com", "00000000-0000-4000-8000-000000000000", "not-an-id"]) {
        const missing = await get(token, ref);
        expect(missing.status, ref).toBe(404);
        expect(missing.json.error.code).toBe("not_found");
      }

      const catalogue = await db
        .select({ key: attributeDefinitions.key, type: attributeDefinitions.type, declared: attributeDefinitions.declared })
        .from(attributeDefinitions)
        .where(eq(attributeDefinitions.workspaceId, workspace.id));
      expect(catalogue.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
        { key: "plan", type: "string", declared: false },
        { key: "seats", type: "number", declared: false },
      ]);
    });

    it("pages through 120 contacts 50 at a time: 3 pages, no duplicates, no gaps, newest first", async () => {
      const { workspace, token } = await workspaceWithKey();
      // Groups of 30 share a created_at, so the pages must break ties by id.
      const base = Date.parse("2026-01-01T00:00:00Z");
      await db.insert(contacts).values(
        Array.from({ length: 120 }, (_, index) => ({
          workspaceId: workspace.id,
          externalId: `bulk-${index}`,
          createdAt: new Date(base + Math.floor(index / 30) * 60_000),
        })),
      );
      const pages: Array<Array<{ external_id: string; created_at: string }>> = [];
      let cursor: string | null = null;
      do {
        const page = await list(token, cursor ? { limit: 50, cursor } : { limit: 50 });
        expect(page.status).toBe(200);
        pages.push(page.json.data);
        cursor = page.json.next_cursor;
      } while (cursor && pages.length < 5);
      expect(pages.map((page) => page.length)).toEqual([50, 50, 20]);
      const all = pages.flat();
      expect(new Set(all.map((contact) => contact.external_id)).size).toBe(120);
      const times = all.map((contact) => Date.parse(contact.created_at));
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const defaults = await list(token);
      expect(defaults.json.data).toHaveLength(50);
      expect((await list(token, { limit: 201 })).status).toBe(422);
      expect((await list(token, { limit: 0 })).status).toBe(422);
      const badCursor = await list(token, { cursor: "garbage!" });
      expect(badCursor.status).toBe(400);
    });

    it("searches by email prefix and exact external id, and filters by tag", async () => {
      const { token } = await workspaceWithKey();
      await create(token, { email: "maria.garcia@shop.test", tags: ["newsletter"] });
      await create(token, { email: "mario.rossi@shop.test", external_id: "crm-77", tags: ["newsletter", "vip"] });
      await create(token, { email: "zoe@other.test", external_id: "crm-7", tags: ["vip"] });

      const emails = async (query: Record<string, string>) =>
        ((await list(token, query)).json.data as Array<{ email: string }>).map((contact) => contact.email).sort();
      expect(await emails({ search: "MARI" })).toEqual(["maria.garcia@shop.test", "mario.rossi@shop.test"]);
      expect(await emails({ search: "mario" })).toEqual(["mario.rossi@shop.test"]);
      expect(await emails({ search: "crm-7" })).toEqual(["zoe@other.test"]);
      expect(await emails({ search: "100%" })).toEqual([]);
      expect(await emails({ tag: "vip" })).toEqual(["mario.rossi@shop.test", "zoe@other.test"]);
      expect(await emails({ tag: "newsletter", search: "mario" })).toEqual(["mario.rossi@shop.test"]);
      expect(await emails({ tag: "nobody" })).toEqual([]);
    });

    it("PATCH merges attributes (null removes), replaces tags, adds and removes tags", async () => {
      const { token } = await workspaceWithKey();
      const { json: contact } = await create(token, {
        external_id: "p-1",
        first_name: "Lin",
        attributes: { plan: "free", seats: 1, beta: true },
        tags: ["a", "b"],
      });

      const merged = await patch(token, contact.id, { attributes: { plan: "pro", beta: null, region: "EU" }, last_name: "Wei" });
      expect(merged.status).toBe(200);
      expect(merged.json.attributes).toEqual({ plan: "pro", seats: 1, region: "EU" });
      expect(merged.json).toMatchObject({ first_name: "Lin", last_name: "Wei", tags: ["a", "b"] });

      const replaced = await patch(token, contact.id, { tags: ["c"] });
      expect(replaced.json.tags).toEqual(["c"]);
      expect(replaced.json.attributes).toEqual({ plan: "pro", seats: 1, region: "EU" });

      const adjusted = await patch(token, "external_id:p-1", { add_tags: ["d", "e", "c"], remove_tags: ["c"] });
      expect(adjusted.json.tags).toEqual(["d", "e"]);

      const cleared = await patch(token, contact.id, { first_name: null, locale: "zh-CN" });
      expect(cleared.json).toMatchObject({ first_name: null, last_name: "Wei", locale: "zh-CN", tags: ["d", "e"] });

      const wrong = await patch(token, contact.id, { tags: ["ok", " ", "x".repeat(65)], timezone: "Mars/Olympus", email: "nope" });
      expect(wrong.status).toBe(422);
      expect(wrong.json.error.code).toBe("validation_failed");
      expect(wrong.json.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(["email", "tags.1", "tags.2", "timezone"]);

      const unknownField = await patch(token, contact.id, { firstName: "Lin" });
      expect(unknownField.status).toBe(422);
      expect(JSON.stringify(unknownField.json.error.details)).toContain("firstName");

      const removeBoth = await patch(token, contact.id, { external_id: null });
      expect(removeBoth.status).toBe(422);
    });

    it("PUT replaces the whole contact", async () => {
      const { token } = await workspaceWithKey();
      const { json: contact } = await create(token, { external_id: "r-1", email: "r@example.com", first_name: "R", attributes: { a: 1 }, tags: ["t"] });
      const put = await call(contactRoute.PUT, "PUT", `/api/v1/contacts/${contact.id}`, {
        token,
        params: { id: contact.id },
        body: { external_id: "r-1", attributes: { b: 2 } },
      });
      expect(put.status).toBe(200);
      expect(put.json).toMatchObject({ external_id: "r-1", email: null, first_name: null, attributes: { b: 2 }, tags: [] });
      expect(put.json.identities.map((identity: { kind: string }) => identity.kind)).toEqual(["user_id"]);
    });

    it("keeps identities in step with external_id and email, so tracking calls find the same contact", async () => {
      const { workspace, token } = await workspaceWithKey();
      const { json: contact } = await create(token, { external_id: "old-id", email: "old@example.com" });
      const moved = await patch(token, contact.id, { external_id: "new-id", email: "New@Example.com" });
      expect(moved.status).toBe(200);
      expect(moved.json.identities.map((identity: { kind: string; value: string }) => `${identity.kind}:${identity.value}`).sort()).toEqual([
        "email:new@example.com",
        "user_id:new-id",
      ]);
      // The freed identifiers can go to someone else.
      expect((await create(token, { external_id: "old-id", email: "old@example.com" })).status).toBe(201);

      // An identify call for the new id lands on the same contact, not a new one.
      await db.insert(events).values({
        workspaceId: workspace.id,
        messageId: "identify-new-id",
        type: "identify",
        userId: "new-id",
        traits: { plan: "team" },
        timestamp: new Date(),
      });
      await processPendingEvents(db, workspace.id);
      const after = await get(token, contact.id);
      expect(after.json.attributes).toEqual({ plan: "team" });
      expect((await list(token)).json.data).toHaveLength(2);
    });

    it("refuses an external_id or email that belongs to another contact with 409, saying which", async () => {
      const { token } = await workspaceWithKey();
      const { json: first } = await create(token, { external_id: "dup", email: "dup@example.com" });
      const sameId = await create(token, { external_id: "dup" });
      expect(sameId.status).toBe(409);
      expect(sameId.json.error).toMatchObject({ code: "conflict", details: { field: "external_id", contact_id: first.id } });
      expect(sameId.json.error.message).toContain("external_id");

      const sameEmail = await create(token, { external_id: "other", email: "DUP@example.com" });
      expect(sameEmail.status).toBe(409);
      expect(sameEmail.json.error.details).toMatchObject({ field: "email", contact_id: first.id });
      // Nothing of the refused contact was kept.
      expect((await get(token, "external_id:other")).status).toBe(404);

      const { json: second } = await create(token, { external_id: "second" });
      const takeEmail = await patch(token, second.id, { email: "dup@example.com" });
      expect(takeEmail.status).toBe(409);
      expect(takeEmail.json.error.details).toMatchObject({ field: "email", contact_id: first.id });
      const keepOwn = await patch(token, first.id, { external_id: "dup", email: "dup@example.com", first_name: "Same" });
      expect(keepOwn.status).toBe(200);
    });

    it("lets exactly one of several simultaneous creates with one external_id or email win", async () => {
      const { token } = await workspaceWithKey();
      const byId = await Promise.all(Array.from({ length: 5 }, (_, index) => create(token, { external_id: "race", first_name: `R${index}` })));
      expect(byId.map((reply) => reply.status).sort()).toEqual([201, 409, 409, 409, 409]);
      const byEmail = await Promise.all(
        Array.from({ length: 5 }, (_, index) => create(token, { external_id: `race-${index}`, email: "race@example.com" })),
      );
      expect(byEmail.map((reply) => reply.status).sort()).toEqual([201, 409, 409, 409, 409]);
      expect(byEmail.filter((reply) => reply.status === 409).every((reply) => reply.json.error.code === "conflict")).toBe(true);
      expect((await list(token)).json.data).toHaveLength(2);
    });

    it("checks attribute values against declared types (422 naming the attribute and type) and accepts undeclared keys", async () => {
      const { workspace, token } = await workspaceWithKey();
      const declare = (key: string, body: unknown) =>
        call(attributeRoute.PATCH, "PATCH", `/api/v1/attributes/${key}`, { token, body, params: { key } });
      expect((await declare("seats", { type: "number", label: "Seats" })).status).toBe(200);
      expect((await declare("renews_on", { type: "date" })).status).toBe(200);

      const wrong = await create(token, { external_id: "typed", attributes: { seats: "five", renews_on: "soon", free_text: 1 } });
      expect(wrong.status).toBe(422);
      expect(wrong.json.error.code).toBe("validation_failed");
      expect(wrong.json.error.message).toMatch(/seats|renews_on/);
      expect(wrong.json.error.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: "attributes.seats", expected: "number", message: expect.stringContaining("number") }),
          expect.objectContaining({ path: "attributes.renews_on", expected: "date" }),
        ]),
      );

      const ok = await create(token, { external_id: "typed", attributes: { seats: 5, renews_on: "2026-09-01", brand_new: ["x"] } });
      expect(ok.status).toBe(201);
      const badPatch = await patch(token, ok.json.id, { attributes: { seats: "6" } });
      expect(badPatch.status).toBe(422);
      expect(badPatch.json.error.details[0]).toMatchObject({ path: "attributes.seats", expected: "number" });
      // Removing a declared attribute is always allowed.
      expect((await patch(token, ok.json.id, { attributes: { seats: null } })).json.attributes).toEqual({
        renews_on: "2026-09-01",
        brand_new: ["x"],
      });

      const [discovered] = await db
        .select()
        .from(attributeDefinitions)
        .where(and(eq(attributeDefinitions.workspaceId, workspace.id), eq(attributeDefinitions.key, "brand_new")));
      expect(discovered).toMatchObject({ type: "list", declared: false });
    });

    it("lists the attribute catalogue and refuses a type existing values cannot take, saying how many", async () => {
      const { token } = await workspaceWithKey();
      await create(token, { external_id: "a", attributes: { plan: "pro", score_hint: "12" } });
      await create(token, { external_id: "b", attributes: { plan: "team", score_hint: 7 } });
      await create(token, { external_id: "c", attributes: { plan: 3 } });

      const catalogue = await call(attributesRoute.GET, "GET", "/api/v1/attributes", { token });
      expect(catalogue.status).toBe(200);
      expect(catalogue.json.data.map((attribute: { key: string }) => attribute.key)).toEqual(["plan", "score_hint"]);
      expect(catalogue.json.data[0]).toMatchObject({
        key: "plan",
        type: "string",
        declared: false,
        label: null,
        sample: "pro",
        first_seen_at: expect.any(String),
        last_seen_at: expect.any(String),
      });

      const declare = (key: string, body: unknown) =>
        call(attributeRoute.PATCH, "PATCH", `/api/v1/attributes/${key}`, { token, body, params: { key } });
      const refused = await declare("plan", { type: "number" });
      expect(refused.status).toBe(422);
      expect(refused.json.error.message).toContain("2 contacts");
      expect(refused.json.error.details[0]).toMatchObject({ count: 2 });

      const numeric = await declare("score_hint", { type: "number", label: "Score hint" });
      expect(numeric.status).toBe(200);
      expect(numeric.json).toMatchObject({ key: "score_hint", type: "number", declared: true, label: "Score hint" });
      const one = await call(attributeRoute.GET, "GET", "/api/v1/attributes/score_hint", { token, params: { key: "score_hint" } });
      expect(one.json).toMatchObject({ type: "number", declared: true });

      expect((await declare("plan", { type: "banana" })).status).toBe(422);
      expect((await declare("plan", {})).status).toBe(422);
      expect((await declare("never_seen", { label: "Nothing" })).status).toBe(404);
      expect((await declare("never_seen", { type: "boolean" })).json).toMatchObject({ declared: true, type: "boolean" });
    });

    it("lists a contact's events newest first, paged; DELETE erases the contact, its events and identities", async () => {
      const { workspace, token } = await workspaceWithKey();
      const { json: contact } = await create(token, { external_id: "gone", email: "gone@example.com" });
      for (let day = 1; day <= 7; day += 1) await addEvent(workspace.id, contact.id, `Day ${day}`, `2026-02-0${day}T10:00:00Z`, { day });

      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await call(eventsRoute.GET, "GET", `/api/v1/contacts/${contact.id}/events`, {
          token,
          params: { id: contact.id },
          query: cursor ? { limit: 3, cursor } : { limit: 3 },
        });
        expect(page.status).toBe(200);
        names.push(...page.json.data.map((event: { name: string }) => event.name));
        cursor = page.json.next_cursor;
      } while (cursor);
      expect(names).toEqual(["Day 7", "Day 6", "Day 5", "Day 4", "Day 3", "Day 2", "Day 1"]);

      const exported = await call(exportRoute.GET, "GET", `/api/v1/contacts/${contact.id}/export`, { token, params: { id: contact.id } });
      expect(exported.status).toBe(200);
      expect(exported.headers.get("content-disposition")).toContain(contact.id);
      expect(exported.json.contact).toMatchObject({ id: contact.id, external_id: "gone" });
      expect(exported.json.identities).toHaveLength(2);
      expect(exported.json.events.map((event: { name: string }) => event.name)[0]).toBe("Day 1");
      expect(exported.json.events).toHaveLength(7);

      const deleted = await call(contactRoute.DELETE, "DELETE", `/api/v1/contacts/external_id:gone`, { token, params: { id: "external_id:gone" } });
      expect(deleted.status).toBe(200);
      expect(deleted.json).toMatchObject({ deleted: true, id: contact.id });
      expect((await get(token, contact.id)).status).toBe(404);
      const left = await db.select().from(events).where(and(eq(events.workspaceId, workspace.id), eq(events.contactId, contact.id)));
      expect(left).toEqual([]);
      const identities = await db.select().from(contactIdentities).where(eq(contactIdentities.workspaceId, workspace.id));
      expect(identities).toEqual([]);
      const again = await call(contactRoute.DELETE, "DELETE", `/api/v1/contacts/${contact.id}`, { token, params: { id: contact.id } });
      expect(again.status).toBe(404);
      // The erased identifiers are free again.
      expect((await create(token, { external_id: "gone", email: "gone@example.com" })).status).toBe(201);
    });

    it("never shows, changes or erases another workspace's contacts", async () => {
      const a = await workspaceWithKey("Alpha");
      const b = await workspaceWithKey("Beta");
      const { json: contact } = await create(a.token, { external_id: "shared-id", email: "same@example.com", tags: ["a-only"] });
      await addEvent(a.workspace.id, contact.id, "Secret", "2026-03-01T00:00:00Z");

      for (const ref of [contact.id, "external_id:shared-id", "email:same@example.com"]) {
        expect((await get(b.token, ref)).status, ref).toBe(404);
        expect((await patch(b.token, ref, { first_name: "Mallory" })).status, ref).toBe(404);
        const erase = await call(contactRoute.DELETE, "DELETE", `/api/v1/contacts/${ref}`, { token: b.token, params: { id: ref } });
        expect(erase.status, ref).toBe(404);
        const history = await call(eventsRoute.GET, "GET", `/api/v1/contacts/${ref}/events`, { token: b.token, params: { id: ref } });
        expect(history.status, ref).toBe(404);
      }
      expect((await list(b.token)).json.data).toEqual([]);
      expect((await list(b.token, { search: "same" })).json.data).toEqual([]);
      expect((await list(b.token, { tag: "a-only" })).json.data).toEqual([]);
      expect((await call(attributesRoute.GET, "GET", "/api/v1/attributes", { token: b.token })).json.data).toEqual([]);

      // The same identifiers are free in another workspace.
      expect((await create(b.token, { external_id: "shared-id", email: "same@example.com" })).status).toBe(201);
      const untouched = await get(a.token, contact.id);
      expect(untouched.json).toMatchObject({ first_name: null, external_id: "shared-id" });
      const history = await call(eventsRoute.GET, "GET", `/api/v1/contacts/${contact.id}/events`, { token: a.token, params: { id: contact.id } });
      expect(history.json.data).toHaveLength(1);
    });

    it("answers 400 for malformed JSON, 422 for wrong fields, 401 without a key", async () => {
      const { token } = await workspaceWithKey();
      const malformed = await call(contactsRoute.POST, "POST", "/api/v1/contacts", { token, raw: '{"email": "a@b.co",' });
      expect(malformed.status).toBe(400);
      expect(malformed.json.error.code).toBe("invalid_json");

      const noIdentifier = await create(token, { first_name: "Nobody" });
      expect(noIdentifier.status).toBe(422);
      expect(noIdentifier.json.error.details[0]).toMatchObject({ path: "external_id" });

      const wrongTypes = await create(token, { email: "a@b.co", tags: "vip", attributes: [1], external_id: 5 });
      expect(wrongTypes.status).toBe(422);
      expect(wrongTypes.json.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(["attributes", "external_id", "tags"]);

      const noKey = await call(contactsRoute.GET, "GET", "/api/v1/contacts");
      expect(noKey.status).toBe(401);
      expect(noKey.json.error.code).toBe("unauthorized");
      expect((await call(contactsRoute.POST, "POST", "/api/v1/contacts", { body: { email: "a@b.co" } })).status).toBe(401);
      expect((await call(contactRoute.GET, "GET", "/api/v1/contacts/x", { params: { id: "x" } })).status).toBe(401);
      expect((await call(attributesRoute.GET, "GET", "/api/v1/attributes")).status).toBe(401);
      const { writeKey } = await createOwnedWorkspace(db, "Write only");
      expect((await call(contactsRoute.GET, "GET", "/api/v1/contacts", { token: writeKey })).status).toBe(401);
    });
  });
}

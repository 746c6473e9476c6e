import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDatabase, type Db } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import * as templatesRoute from "@/app/api/v1/templates/route";
import * as templateRoute from "@/app/api/v1/templates/[id]/route";
import * as versionsRoute from "@/app/api/v1/templates/[id]/versions/route";
import { createOwnedWorkspace } from "./accounts";
import { callRoute as call } from "./route-call";


const welcome = {
  name: "Welcome",
  subject: 'Welcome, {{ contact.first_name | default: "friend" }}',
  from_name: "Acme",
  from_email: "hello@acme.example",
  content: { component: "welcome", props: { heading: "Hi {{ contact.first_name }}" } },
};

/** The templates REST API against the process-wide database, pointed at `kind` by the calling file. */
export function templatesApiSuite(kind: "embedded" | "postgres") {
  describe(`templates REST API on ${kind}`, () => {
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

    async function workspaceWithKey() {
      const { workspace } = await createOwnedWorkspace(db);
      const { token } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Server" });
      return { workspace, token };
    }

    const api = {
      list: (token?: string, query = "") => call(templatesRoute.GET, "GET", `/api/v1/templates${query}`, { token }),
      create: (token: string | undefined, body: unknown) => call(templatesRoute.POST, "POST", "/api/v1/templates", { token, body }),
      get: (token: string, id: string, query = "") => call(templateRoute.GET, "GET", `/api/v1/templates/${id}${query}`, { token, params: { id } }),
      patch: (token: string | undefined, id: string, body: unknown) => call(templateRoute.PATCH, "PATCH", `/api/v1/templates/${id}`, { token, body, params: { id } }),
      remove: (token: string, id: string) => call(templateRoute.DELETE, "DELETE", `/api/v1/templates/${id}`, { token, params: { id } }),
      versions: (token: string, id: string) => call(versionsRoute.GET, "GET", `/api/v1/templates/${id}/versions`, { token, params: { id } }),
    };

    it("answers 401 without a secret key, on every route", async () => {
      expect((await api.list()).status).toBe(401);
      const created = await api.create(undefined, welcome);
      expect(created.status).toBe(401);
      expect(created.json.error.code).toBe("unauthorized");
      expect((await api.patch(undefined, "00000000-0000-0000-0000-000000000000", { name: "x" })).status).toBe(401);
      expect((await call(versionsRoute.GET, "GET", "/api/v1/templates/x/versions", { params: { id: "x" } })).status).toBe(401);
    });

    it("creates a template with its rendered version 1, lists and reads it", async () => {
      const { token } = await workspaceWithKey();
      const created = await api.create(token, welcome);
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ name: "Welcome", channel: "email", kind: "marketing", format: "code", current_version: 1 });
      expect(created.json.version.html).toContain("Hi {{ contact.first_name }}");
      expect(created.json.version.text).toContain("Hi {{ contact.first_name }}");
      const list = await api.list(token);
      expect(list.json.data.map((row: { id: string }) => row.id)).toEqual([created.json.id]);
      const read = await api.get(token, created.json.id);
      expect(read.json.version).toMatchObject({ version: 1, subject: welcome.subject, from_email: "hello@acme.example" });
    });

    it("answers 422 with the reasons for bad input", async () => {
      const { token } = await workspaceWithKey();
      const missing = await api.create(token, { name: "", content: {} });
      expect(missing.status).toBe(422);
      expect(missing.json.error.details.map((detail: { path: string }) => detail.path)).toContain("name");

      const badComponent = await api.create(token, { ...welcome, content: { component: "poster", props: {} } });
      expect(badComponent.status).toBe(422);
      expect(badComponent.json.error.details).toEqual([expect.objectContaining({ path: "content.component" })]);

      const badLiquid = await api.create(token, { ...welcome, subject: "Hi {{ contact.first_name" });
      expect(badLiquid.status).toBe(422);
      expect(badLiquid.json.error.details[0]).toMatchObject({ path: "subject", message: expect.stringContaining("Liquid") });

      const badEmail = await api.create(token, { ...welcome, from_email: "not an address" });
      expect(badEmail.status).toBe(422);
      expect(badEmail.json.error.details[0].path).toBe("from_email");

      const badChannel = await api.create(token, { name: "x", channel: "fax", content: { text: "hi" } });
      expect(badChannel.status).toBe(422);
      expect(badChannel.json.error.details[0].path).toBe("channel");

      const unknownField = await api.create(token, { ...welcome, colour: "red" });
      expect(unknownField.status).toBe(422);

      const notJson = await call(templatesRoute.POST, "POST", "/api/v1/templates", { token, raw: "{nope" });
      expect(notJson.status).toBe(400);

      const created = await api.create(token, welcome);
      const badPatch = await api.patch(token, created.json.id, { content: { document: { type: "doc" } } });
      expect(badPatch.status).toBe(422);
      expect(badPatch.json.error.details.map((detail: { path: string }) => detail.path)).toContain("content.component");
      expect((await api.get(token, created.json.id)).json.current_version).toBe(1);
      expect((await api.get(token, created.json.id, "?version=abc")).status).toBe(422);
    });

    it("bumps the version on a PATCH with content, not on a rename; lists versions; reads an old one", async () => {
      const { token } = await workspaceWithKey();
      const { json: created } = await api.create(token, welcome);
      const renamed = await api.patch(token, created.id, { name: "Welcome v2" });
      expect(renamed.status).toBe(200);
      expect(renamed.json).toMatchObject({ name: "Welcome v2", current_version: 1 });

      const patched = await api.patch(token, created.id, { content: { component: "welcome", props: { heading: "Hello again" } } });
      expect(patched.status).toBe(200);
      expect(patched.json.current_version).toBe(2);
      expect(patched.json.version.html).toContain("Hello again");
      expect(patched.json.version.subject).toBe(welcome.subject);

      const subject = await api.patch(token, created.id, { subject: "New subject" });
      expect(subject.json.current_version).toBe(3);

      const versions = await api.versions(token, created.id);
      expect(versions.json.data.map((row: { version: number; current: boolean }) => [row.version, row.current])).toEqual([
        [3, true],
        [2, false],
        [1, false],
      ]);
      const first = await api.get(token, created.id, "?version=1");
      expect(first.json.version.html).toContain("Hi {{ contact.first_name }}");
      expect((await api.get(token, created.id, "?version=9")).status).toBe(404);
    });

    it("archives on DELETE and keeps templates of other workspaces out of reach", async () => {
      const mine = await workspaceWithKey();
      const theirs = await workspaceWithKey();
      const { json: created } = await api.create(mine.token, { name: "SMS", channel: "sms", content: { text: "Hi {{ contact.first_name }}" } });
      expect(created.format).toBe("text");
      expect((await api.get(theirs.token, created.id)).status).toBe(404);
      expect((await api.patch(theirs.token, created.id, { name: "stolen" })).status).toBe(404);
      expect((await api.remove(theirs.token, created.id)).status).toBe(404);

      const removed = await api.remove(mine.token, created.id);
      expect(removed.json).toEqual({ archived: true, id: created.id });
      expect((await api.list(mine.token)).json.data).toEqual([]);
      expect((await api.list(mine.token, "?archived=true")).json.data.map((row: { id: string }) => row.id)).toEqual([created.id]);
      expect((await api.get(mine.token, created.id)).json.archived_at).not.toBeNull();
      expect((await api.patch(mine.token, created.id, { content: { text: "again" } })).status).toBe(409);
    });
  });
}

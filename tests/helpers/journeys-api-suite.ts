import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { sql } from "drizzle-orm";
import { getDatabase, type Db } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { queryRows } from "@/db/sql";
import { contactIdentities, contactMerges, contacts, members, tasks } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import { advanceRuns } from "@/lib/journeys/engine";
import * as journeysRoute from "@/app/api/v1/journeys/route";
import * as journeyRoute from "@/app/api/v1/journeys/[id]/route";
import * as publishRoute from "@/app/api/v1/journeys/[id]/publish/route";
import * as pauseRoute from "@/app/api/v1/journeys/[id]/pause/route";
import * as resumeRoute from "@/app/api/v1/journeys/[id]/resume/route";
import * as archiveRoute from "@/app/api/v1/journeys/[id]/archive/route";
import * as enrollRoute from "@/app/api/v1/journeys/[id]/enroll/route";
import * as runsRoute from "@/app/api/v1/journeys/[id]/runs/route";
import * as statsRoute from "@/app/api/v1/journeys/[id]/stats/route";
import * as contactJourneysRoute from "@/app/api/v1/contacts/[id]/journeys/route";
import * as contactsRoute from "@/app/api/v1/contacts/route";
import * as tasksRoute from "@/app/api/v1/tasks/route";
import * as taskRoute from "@/app/api/v1/tasks/[id]/route";
import { createOwnedWorkspace, createUser } from "./accounts";
import { callRoute as call, type RouteCall } from "./route-call";

/** A graph that publishes: a manual trigger, a day's delay, an exit. */
function manualGraph(reentry: "never" | "after_exit" | "always" = "after_exit") {
  return {
    nodes: [
      { id: "trigger", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "manual", reentry } },
      { id: "wait-a-day", type: "delay", position: { x: 0, y: 120 }, data: { mode: "duration", duration: { amount: 1, unit: "days" } } },
      { id: "done", type: "exit", position: { x: 0, y: 240 }, data: {} },
    ],
    edges: [
      { id: "e1", source: "trigger", target: "wait-a-day" },
      { id: "e2", source: "wait-a-day", target: "done" },
    ],
  };
}

/** The journeys and tasks REST API against the process-wide database, pointed at `kind` by the calling file. */
export function journeysApiSuite(kind: "embedded" | "postgres") {
  describe(`journeys and tasks REST API on ${kind}`, () => {
    let db: Db;
    let boss: PgBoss;

    beforeAll(async () => {
      const database = await getDatabase();
      expect(database.kind).toBe(kind);
      db = database.db;
      // Enrolment queues journey.advance in its transaction, through the process-wide boss.
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

    const one = (handler: Parameters<typeof call>[0], method: string, action: string) => (token: string | undefined, id: string, init: RouteCall = {}) =>
      call(handler, method, `/api/v1/journeys/${id}${action}`, { token, params: { id }, ...init });

    const api = {
      list: (token: string | undefined, query: Record<string, string> = {}) => call(journeysRoute.GET, "GET", "/api/v1/journeys", { token, query }),
      create: (token: string | undefined, body: unknown) => call(journeysRoute.POST, "POST", "/api/v1/journeys", { token, body }),
      get: one(journeyRoute.GET, "GET", ""),
      patch: (token: string | undefined, id: string, body: unknown) => one(journeyRoute.PATCH, "PATCH", "")(token, id, { body }),
      remove: one(journeyRoute.DELETE, "DELETE", ""),
      publish: one(publishRoute.POST, "POST", "/publish"),
      pause: one(pauseRoute.POST, "POST", "/pause"),
      resume: one(resumeRoute.POST, "POST", "/resume"),
      archive: one(archiveRoute.POST, "POST", "/archive"),
      enroll: (token: string | undefined, id: string, body: unknown) => one(enrollRoute.POST, "POST", "/enroll")(token, id, { body }),
      runs: (token: string | undefined, id: string, query: Record<string, string | number> = {}) => one(runsRoute.GET, "GET", "/runs")(token, id, { query }),
      stats: one(statsRoute.GET, "GET", "/stats"),
      contactJourneys: (token: string | undefined, ref: string) =>
        call(contactJourneysRoute.GET, "GET", `/api/v1/contacts/${encodeURIComponent(ref)}/journeys`, { token, params: { id: ref } }),
      createContact: (token: string, body: unknown) => call(contactsRoute.POST, "POST", "/api/v1/contacts", { token, body }),
      tasks: (token: string | undefined, query: Record<string, string | number> = {}) => call(tasksRoute.GET, "GET", "/api/v1/tasks", { token, query }),
      task: (token: string | undefined, id: string) => call(taskRoute.GET, "GET", `/api/v1/tasks/${id}`, { token, params: { id } }),
      patchTask: (token: string | undefined, id: string, body: unknown) => call(taskRoute.PATCH, "PATCH", `/api/v1/tasks/${id}`, { token, body, params: { id } }),
    };

    async function queuedAdvances(workspaceId: string) {
      const [row] = await queryRows<{ count: number }>(
        db,
        sql`select count(*)::int as count from pgboss.job where name = 'journey.advance' and data->>'workspaceId' = ${workspaceId}`,
      );
      return Number(row.count);
    }

    const problemsOf = (reply: { json: { error: { details: Array<{ node_id: string | null; code: string }> } } }) =>
      reply.json.error.details.map((problem) => `${problem.node_id}:${problem.code}`);

    it("answers 401 without a secret key, on every route, and to a write key", async () => {
      const { writeKey } = await setup();
      const id = "00000000-0000-0000-0000-000000000000";
      const replies = await Promise.all([
        api.list(undefined),
        api.create(undefined, { name: "x" }),
        api.get(undefined, id),
        api.patch(undefined, id, { name: "x" }),
        api.remove(undefined, id),
        api.publish(undefined, id),
        api.pause(undefined, id),
        api.resume(undefined, id),
        api.archive(undefined, id),
        api.enroll(undefined, id, { contacts: ["email:a@example.test"] }),
        api.runs(undefined, id),
        api.stats(undefined, id),
        api.contactJourneys(undefined, id),
        api.tasks(undefined),
        api.task(undefined, id),
        api.patchTask(undefined, id, { status: "done" }),
        api.list(writeKey),
        api.create(writeKey, { name: "x" }),
        api.tasks(writeKey),
      ]);
      expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 401));
      expect(replies[1].json.error.code).toBe("unauthorized");
      expect(replies.at(-2)!.json.error.message).toBe("Unknown secret key.");
    });

    it("creates a draft, reads, lists and edits it, and deletes it while it was never published", async () => {
      const { token } = await setup();
      const created = await api.create(token, { name: "Welcome", description: "New sign-ups" });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({
        name: "Welcome",
        description: "New sign-ups",
        status: "draft",
        version: null,
        trigger: null,
        published_at: null,
        graph: { nodes: [{ id: "trigger", type: "trigger" }], edges: [] },
      });
      expect(created.json.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
      const id = created.json.id as string;

      expect((await api.get(token, id)).json).toEqual(created.json);
      const listed = await api.list(token);
      expect(listed.status).toBe(200);
      expect(listed.json.data).toEqual([expect.objectContaining({ id, name: "Welcome", status: "draft", in_journey: 0, entered: 0, converted: 0 })]);
      expect(listed.json.data[0].graph).toBeUndefined();
      expect((await api.list(token, { status: "active" })).json.data).toEqual([]);

      const patched = await api.patch(token, id, { name: "Welcome series", description: "", graph: manualGraph() });
      expect(patched.status).toBe(200);
      expect(patched.json).toMatchObject({ name: "Welcome series", description: null, status: "draft" });
      expect(patched.json.graph.nodes.map((node: { id: string }) => node.id)).toEqual(["trigger", "wait-a-day", "done"]);
      expect((await api.get(token, id)).json.graph).toEqual(patched.json.graph);

      const removed = await api.remove(token, id);
      expect(removed.status).toBe(200);
      expect(removed.json).toEqual({ deleted: true, id });
      expect((await api.get(token, id)).status).toBe(404);
      expect((await api.list(token)).json.data).toEqual([]);
    });

    it("answers 422 with the path of what is wrong in a body or query, and 400 for what is not JSON", async () => {
      const { token } = await setup();
      const noName = await api.create(token, { name: "  " });
      expect(noName.status).toBe(422);
      expect(noName.json.error).toMatchObject({ code: "validation_failed", details: [{ path: "name", message: "Give the journey a name." }] });

      const badNode = await api.create(token, { name: "x", graph: { nodes: [{ id: "a", type: "teleport" }], edges: [] } });
      expect(badNode.status).toBe(422);
      expect(badNode.json.error.details[0].path).toBe("graph.nodes.0.type");

      const twice = await api.create(token, {
        name: "x",
        graph: { nodes: [{ id: "a", type: "trigger" }, { id: "a", type: "exit" }], edges: [] },
      });
      expect(twice.status).toBe(422);
      expect(twice.json.error.details).toEqual([{ path: "graph.nodes.1.id", message: 'Another node already has the id "a".' }]);

      expect((await api.create(token, { name: "x", nme: "typo" })).status).toBe(422);
      expect((await call(journeysRoute.POST, "POST", "/api/v1/journeys", { token, raw: "{nope" })).json.error.code).toBe("invalid_json");
      expect((await api.list(token, { status: "running" })).json.error.details[0].path).toBe("status");

      const { json: journey } = await api.create(token, { name: "x" });
      expect((await api.patch(token, journey.id, { graph: { nodes: "no" } })).json.error.details[0].path).toBe("graph.nodes");
      expect((await api.runs(token, journey.id, { status: "lost" })).json.error.details[0].path).toBe("status");
      expect((await api.runs(token, journey.id, { limit: 500 })).status).toBe(422);
      expect((await api.runs(token, journey.id, { cursor: "not-a-cursor" })).status).toBe(400);
      expect((await api.enroll(token, journey.id, { contacts: [] })).json.error.details[0].path).toBe("contacts");
      const tooMany = await api.enroll(token, journey.id, { contacts: Array.from({ length: 1001 }, (_, index) => `email:c${index}@example.test`) });
      expect(tooMany.json.error.details).toEqual([{ path: "contacts", message: "At most 1,000 contacts a call." }]);
      expect((await api.tasks(token, { status: "closed" })).json.error.details[0].path).toBe("status");
      expect((await api.tasks(token, { cursor: "nope" })).status).toBe(400);
    });

    it("refuses to publish a graph that cannot run, with each problem pointing at its node", async () => {
      const { token } = await setup();
      const graph = {
        nodes: [
          { id: "trigger", type: "trigger", data: { kind: "event" } },
          { id: "is-vip", type: "condition", data: { rule: { in: ["vip", { var: "tags" }] } } },
          { id: "mail", type: "send", data: { templateId: "11111111-1111-4111-8111-111111111111" } },
          { id: "orphan", type: "exit", data: {} },
        ],
        edges: [
          { id: "e1", source: "trigger", target: "is-vip" },
          { id: "e2", source: "is-vip", sourceHandle: "yes", target: "mail" },
        ],
      };
      const { json: journey } = await api.create(token, { name: "Broken", graph });
      const refused = await api.publish(token, journey.id);
      expect(refused.status).toBe(422);
      expect(refused.json.error.code).toBe("validation_failed");
      expect(refused.json.error.message).toBe("The journey cannot be published: name the event that starts the journey (node trigger).");
      expect(problemsOf(refused)).toEqual(
        expect.arrayContaining(["trigger:trigger_event_missing", "mail:template_missing", "orphan:unreachable", "is-vip:branch_unconnected"]),
      );
      expect(refused.json.error.details).toContainEqual({
        node_id: "is-vip",
        edge_id: null,
        path: null,
        code: "branch_unconnected",
        message: 'connect the "no" branch',
        params: { handle: "no" },
      });
      expect(refused.json.error.details).toContainEqual(expect.objectContaining({ node_id: "mail", path: "data.templateId", code: "template_missing" }));
      const after = await api.get(token, journey.id);
      expect(after.json).toMatchObject({ status: "draft", version: null });

      const noTrigger = await api.patch(token, journey.id, { graph: { nodes: [], edges: [] } });
      expect(noTrigger.status).toBe(200);
      const empty = await api.publish(token, journey.id);
      expect(empty.json.error.details).toEqual([{ node_id: null, edge_id: null, path: null, code: "no_trigger", message: "a journey needs a trigger: how contacts enter" }]);
    });

    it("publishes version 1, republishes as version 2, and moves through pause, resume and archive with a 409 for each wrong state", async () => {
      const { token } = await setup();
      const { json: draft } = await api.create(token, { name: "Onboarding", graph: manualGraph() });
      const id = draft.id as string;

      for (const [action, message] of [
        [api.pause, "Only an active journey can be paused; this one is draft."],
        [api.resume, "Only a paused journey can be resumed; this one is draft."],
      ] as const) {
        const refused = await action(token, id);
        expect(refused.status).toBe(409);
        expect(refused.json.error).toMatchObject({ code: "conflict", message });
      }

      const published = await api.publish(token, id);
      expect(published.status).toBe(200);
      expect(published.json).toMatchObject({ status: "active", version: 1, trigger: { kind: "manual", event: null, segment_id: null } });
      expect(published.json.published_at).not.toBeNull();
      expect((await api.list(token, { status: "active" })).json.data.map((row: { id: string }) => row.id)).toEqual([id]);

      const deleted = await api.remove(token, id);
      expect(deleted.status).toBe(409);
      expect(deleted.json.error.message).toBe("This journey has been published; archive it instead of deleting it.");

      // Editing a live journey changes the draft only; the next publish is version 2.
      const graph = manualGraph();
      graph.nodes[1].data = { mode: "duration", duration: { amount: 2, unit: "hours" } };
      expect((await api.patch(token, id, { graph })).json).toMatchObject({ status: "active", version: 1 });
      expect((await api.publish(token, id)).json).toMatchObject({ status: "active", version: 2 });

      const paused = await api.pause(token, id);
      expect(paused.status).toBe(200);
      expect(paused.json.status).toBe("paused");
      expect((await api.pause(token, id)).json.error.message).toBe("Only an active journey can be paused; this one is paused.");
      // Publishing a paused journey keeps it paused.
      expect((await api.publish(token, id)).json).toMatchObject({ status: "paused", version: 3 });

      const resumed = await api.resume(token, id);
      expect(resumed.status).toBe(200);
      expect(resumed.json.status).toBe("active");
      expect((await api.resume(token, id)).json.error.message).toBe("Only a paused journey can be resumed; this one is active.");

      const archived = await api.archive(token, id);
      expect(archived.status).toBe(200);
      expect(archived.json.status).toBe("archived");
      for (const reply of [
        await api.archive(token, id),
        await api.resume(token, id),
        await api.pause(token, id),
        await api.publish(token, id),
        await api.patch(token, id, { name: "Again" }),
        await api.remove(token, id),
      ]) {
        expect(reply.status).toBe(409);
        expect(reply.json.error.code).toBe("conflict");
      }
      expect((await api.archive(token, id)).json.error.message).toBe("This journey is already archived.");
      expect((await api.get(token, id)).json).toMatchObject({ name: "Onboarding", status: "archived", version: 3 });

      // A draft can be archived too.
      const { json: other } = await api.create(token, { name: "Never ran" });
      expect((await api.archive(token, other.id)).json.status).toBe("archived");
    });

    it("keeps another workspace's journeys, contacts and tasks out of reach, and answers 404 for an id that is not one", async () => {
      const mine = await setup();
      const theirs = await setup();
      const { json: journey } = await api.create(mine.token, { name: "Mine", graph: manualGraph() });
      await api.publish(mine.token, journey.id);
      const [contact] = await db.insert(contacts).values({ workspaceId: mine.workspace.id, email: "mine@example.test" }).returning();
      const [task] = await db
        .insert(tasks)
        .values({ workspaceId: mine.workspace.id, idempotencyKey: "t1", title: "Call back", contactId: contact.id, assigneeId: mine.owner.id, source: "journey", sourceId: journey.id })
        .returning();

      for (const id of [journey.id, "not-a-uuid", "00000000-0000-0000-0000-000000000000"]) {
        for (const reply of [
          await api.get(theirs.token, id),
          await api.patch(theirs.token, id, { name: "Stolen" }),
          await api.remove(theirs.token, id),
          await api.publish(theirs.token, id),
          await api.pause(theirs.token, id),
          await api.resume(theirs.token, id),
          await api.archive(theirs.token, id),
          await api.enroll(theirs.token, id, { contacts: [contact.id] }),
          await api.runs(theirs.token, id),
          await api.stats(theirs.token, id),
        ]) {
          expect(reply.status).toBe(404);
          expect(reply.json.error.code).toBe("not_found");
        }
      }
      expect((await api.list(theirs.token)).json.data).toEqual([]);
      expect((await api.contactJourneys(theirs.token, contact.id)).status).toBe(404);
      expect((await api.contactJourneys(theirs.token, "email:mine@example.test")).status).toBe(404);
      expect((await api.tasks(theirs.token)).json.data).toEqual([]);
      for (const id of [task.id, "not-a-uuid"]) {
        expect((await api.task(theirs.token, id)).status).toBe(404);
        expect((await api.patchTask(theirs.token, id, { status: "done" })).status).toBe(404);
      }
      // Their member is not ours to assign.
      const foreign = await api.patchTask(mine.token, task.id, { assignee: theirs.owner.id });
      expect(foreign.status).toBe(422);
      expect(foreign.json.error.details).toEqual([{ path: "assignee", message: "not_found" }]);
      expect((await api.task(mine.token, task.id)).json).toMatchObject({ status: "open", assignee: { id: mine.owner.id } });
      expect((await api.get(mine.token, journey.id)).json).toMatchObject({ name: "Mine", status: "active" });
    });

    it("lists tasks newest first in pages, filters them by status and assignee, and marks them done or hands them over", async () => {
      const { workspace, owner, token } = await setup();
      const colleague = await createUser(db, "sales");
      await db.insert(members).values({ workspaceId: workspace.id, userId: colleague.id, role: "marketer" });
      const [contact] = await db
        .insert(contacts)
        .values({ workspaceId: workspace.id, email: "lead@example.test", externalId: "lead-1", firstName: "Li", lastName: "Na" })
        .returning();
      // Five tasks in one statement: they share a created_at, so the pages are told apart by id.
      const made = await db
        .insert(tasks)
        .values(
          Array.from({ length: 5 }, (_, index) => ({
            workspaceId: workspace.id,
            idempotencyKey: `task-${index}`,
            title: `Call ${index}`,
            contactId: contact.id,
            assigneeId: index % 2 === 0 ? owner.id : colleague.id,
            source: "journey",
            sourceId: "00000000-0000-0000-0000-000000000001",
          })),
        )
        .returning();

      const first = await api.tasks(token, { limit: 2 });
      expect(first.status).toBe(200);
      expect(first.json.data).toHaveLength(2);
      expect(first.json.next_cursor).toEqual(expect.any(String));
      const second = await api.tasks(token, { limit: 2, cursor: first.json.next_cursor });
      const third = await api.tasks(token, { limit: 2, cursor: second.json.next_cursor });
      expect(third.json.next_cursor).toBeNull();
      const paged = [...first.json.data, ...second.json.data, ...third.json.data].map((task: { id: string }) => task.id);
      expect(paged.toSorted()).toEqual(made.map((task) => task.id).toSorted());

      const row = first.json.data[0];
      expect(row).toMatchObject({
        status: "open",
        notes: null,
        contact: { id: contact.id, email: "lead@example.test", external_id: "lead-1", name: "Li Na" },
        source: "journey",
        source_id: "00000000-0000-0000-0000-000000000001",
        due_at: null,
        done_at: null,
      });
      expect(row.created_at).toMatch(/Z$/);

      const mineById = await api.tasks(token, { assignee: owner.id });
      expect(mineById.json.data.map((task: { title: string }) => task.title).toSorted()).toEqual(["Call 0", "Call 2", "Call 4"]);
      expect(mineById.json.data[0].assignee).toEqual({ id: owner.id, email: owner.email, name: null });
      const theirsByEmail = await api.tasks(token, { assignee: colleague.email.toUpperCase() });
      expect(theirsByEmail.json.data.map((task: { title: string }) => task.title).toSorted()).toEqual(["Call 1", "Call 3"]);
      const nobody = await api.tasks(token, { assignee: "nobody@example.test" });
      expect(nobody.status).toBe(422);
      expect(nobody.json.error.details).toEqual([{ path: "assignee", message: "not_found" }]);

      const taskId = made[0].id;
      const done = await api.patchTask(token, taskId, { status: "done" });
      expect(done.status).toBe(200);
      expect(done.json).toMatchObject({ id: taskId, status: "done", assignee: { id: owner.id } });
      expect(done.json.done_at).toMatch(/Z$/);
      expect((await api.tasks(token, { status: "done" })).json.data.map((task: { id: string }) => task.id)).toEqual([taskId]);
      expect((await api.tasks(token, { status: "open" })).json.data).toHaveLength(4);

      const handedOver = await api.patchTask(token, taskId, { status: "open", assignee: colleague.email });
      expect(handedOver.json).toMatchObject({ status: "open", done_at: null, assignee: { id: colleague.id, email: colleague.email } });
      const unassigned = await api.patchTask(token, taskId, { assignee: null });
      expect(unassigned.json).toMatchObject({ status: "open", assignee: null });
      expect((await api.patchTask(token, taskId, { status: "cancelled" })).json).toMatchObject({ status: "cancelled", done_at: null });
      expect((await api.task(token, taskId)).json.status).toBe("cancelled");

      expect((await api.patchTask(token, taskId, {})).status).toBe(422);
      expect((await api.patchTask(token, taskId, { status: "finished" })).json.error.details[0].path).toBe("status");
      expect((await api.patchTask(token, "00000000-0000-0000-0000-000000000000", { status: "done" })).status).toBe(404);
    });

    it("enrols contacts by id, email and external id into an active journey, lists the references that find nobody, and refuses a journey that is not active", async () => {
      const { workspace, token } = await setup();
      const li = (await api.createContact(token, { email: "li.na@example.test", external_id: "user-li", first_name: "Li", last_name: "Na" })).json;
      const bo = (await api.createContact(token, { email: "bo@example.test" })).json;
      const cy = (await api.createContact(token, { external_id: "user-cy" })).json;
      const { json: journey } = await api.create(token, { name: "Onboarding", graph: manualGraph() });

      const draft = await api.enroll(token, journey.id, { contacts: [li.id] });
      expect(draft.status).toBe(409);
      expect(draft.json.error).toMatchObject({ code: "conflict", message: "This journey is a draft; publish it before enrolling contacts.", details: { status: "draft" } });
      await api.publish(token, journey.id);

      const before = await queuedAdvances(workspace.id);
      const enrolled = await api.enroll(token, journey.id, {
        contacts: ["email:Li.Na@Example.test", "external_id:user-cy", bo.id, "email:nobody@example.test", "external_id:ghost", "11111111-1111-4111-8111-111111111111", "external:user-li"],
      });
      expect(enrolled.status).toBe(200);
      expect(enrolled.json.unknown).toEqual(["email:nobody@example.test", "external_id:ghost", "11111111-1111-4111-8111-111111111111"]);
      expect(enrolled.json.not_entered).toEqual([]);
      expect(enrolled.json.entered.map((row: { ref: string; contact_id: string }) => [row.ref, row.contact_id])).toEqual([
        ["email:Li.Na@Example.test", li.id],
        ["external_id:user-cy", cy.id],
        [bo.id, bo.id],
        ["external:user-li", li.id],
      ]);
      // Two references to one person enter them once.
      expect(enrolled.json.entered[0].run_id).toBe(enrolled.json.entered[3].run_id);
      expect(await queuedAdvances(workspace.id)).toBeGreaterThan(before);

      const runs = await api.runs(token, journey.id);
      expect(runs.status).toBe(200);
      expect(runs.json.next_cursor).toBeNull();
      expect(runs.json.data.map((run: { contact_id: string }) => run.contact_id).toSorted()).toEqual([li.id, bo.id, cy.id].toSorted());
      const liRun = runs.json.data.find((run: { contact_id: string }) => run.contact_id === li.id);
      expect(liRun).toMatchObject({ id: enrolled.json.entered[0].run_id, email: "li.na@example.test", name: "Li Na", version: 1, node_id: "trigger", status: "active", ended_at: null });
      expect((await api.runs(token, journey.id, { node: "trigger" })).json.data).toHaveLength(3);
      expect((await api.runs(token, journey.id, { status: "completed" })).json.data).toEqual([]);
      const paged = await api.runs(token, journey.id, { limit: 2 });
      const rest = await api.runs(token, journey.id, { limit: 2, cursor: paged.json.next_cursor });
      expect([...paged.json.data, ...rest.json.data].map((run: { id: string }) => run.id)).toEqual(runs.json.data.map((run: { id: string }) => run.id));

      // Already in the journey (it lets contacts back only after they leave): not entered again.
      const again = await api.enroll(token, journey.id, { contacts: [li.id, "email:bo@example.test"] });
      expect(again.json).toEqual({ entered: [], not_entered: [{ ref: li.id, contact_id: li.id }, { ref: "email:bo@example.test", contact_id: bo.id }], unknown: [] });

      const contactRuns = await api.contactJourneys(token, "email:li.na@example.test");
      expect(contactRuns.status).toBe(200);
      expect(contactRuns.json.data).toEqual([
        expect.objectContaining({ run_id: liRun.id, journey_id: journey.id, journey_name: "Onboarding", version: 1, node_id: "trigger", status: "active", path: [] }),
      ]);
      expect((await api.contactJourneys(token, "email:nobody@example.test")).status).toBe(404);

      await api.pause(token, journey.id);
      const paused = await api.enroll(token, journey.id, { contacts: [li.id] });
      expect(paused.status).toBe(409);
      expect(paused.json.error.message).toBe("This journey is paused; resume it before enrolling contacts.");
      await api.archive(token, journey.id);
      expect((await api.enroll(token, journey.id, { contacts: [li.id] })).json.error.message).toBe("This journey is archived; nobody can enter it any more.");
      // Archiving ended every run.
      expect((await api.runs(token, journey.id, { status: "exited" })).json.data).toHaveLength(3);
    });

    it("finds a contact to enrol the way the contacts API does: by a second email identity, or by an id merged into it", async () => {
      const { workspace, token } = await setup();
      const li = (await api.createContact(token, { email: "li@example.test", external_id: "user-li" })).json;
      const mergedAway = "22222222-2222-4222-8222-222222222222";
      await db.insert(contactIdentities).values({ workspaceId: workspace.id, kind: "email", value: "li.work@example.test", contactId: li.id });
      await db.insert(contactMerges).values({ workspaceId: workspace.id, fromContactId: mergedAway, intoContactId: li.id });
      const { json: journey } = await api.create(token, { name: "Any", graph: manualGraph("always") });
      await api.publish(token, journey.id);

      const reply = await api.enroll(token, journey.id, { contacts: ["email:LI.WORK@example.test", mergedAway, "external_id:", "email:"] });
      expect(reply.status).toBe(200);
      expect(reply.json.entered.map((row: { ref: string; contact_id: string }) => [row.ref, row.contact_id])).toEqual([
        ["email:LI.WORK@example.test", li.id],
        [mergedAway, li.id],
      ]);
      expect(reply.json.unknown).toEqual(["external_id:", "email:"]);
      expect((await api.contactJourneys(token, mergedAway)).json.data).toHaveLength(1);
    });

    it("enters a contact once per idempotency key, however often the call is repeated", async () => {
      const { token } = await setup();
      const li = (await api.createContact(token, { email: "li@example.test" })).json;
      const bo = (await api.createContact(token, { email: "bo@example.test" })).json;
      const { json: journey } = await api.create(token, { name: "Receipts", graph: manualGraph("always") });
      await api.publish(token, journey.id);

      const first = await api.enroll(token, journey.id, { contacts: [li.id, bo.id], idempotency_key: "order-1001" });
      expect(first.json.entered).toHaveLength(2);
      const retried = await api.enroll(token, journey.id, { contacts: [li.id, bo.id], idempotency_key: "order-1001" });
      expect(retried.json).toEqual({ entered: [], not_entered: [{ ref: li.id, contact_id: li.id }, { ref: bo.id, contact_id: bo.id }], unknown: [] });
      // The same key covers each contact once: a contact not in the first call still enters.
      const other = (await api.createContact(token, { email: "cy@example.test" })).json;
      expect((await api.enroll(token, journey.id, { contacts: [other.id, li.id], idempotency_key: "order-1001" })).json.entered).toEqual([
        expect.objectContaining({ contact_id: other.id }),
      ]);
      // A new key (or none) enters again: this journey lets contacts in any number of times.
      expect((await api.enroll(token, journey.id, { contacts: [li.id], idempotency_key: "order-1002" })).json.entered).toHaveLength(1);
      expect((await api.enroll(token, journey.id, { contacts: [li.id] })).json.entered).toHaveLength(1);
      const runs = await api.runs(token, journey.id);
      expect(runs.json.data.filter((run: { contact_id: string }) => run.contact_id === li.id)).toHaveLength(3);
      expect(runs.json.data).toHaveLength(5);
    });

    it("shows each node's counts and the totals as runs move through the journey", async () => {
      const { workspace, token } = await setup();
      const people = [];
      for (const email of ["a@example.test", "b@example.test"]) people.push((await api.createContact(token, { email })).json);
      const { json: journey } = await api.create(token, { name: "Nurture", graph: manualGraph() });

      const empty = await api.stats(token, journey.id);
      expect(empty.status).toBe(200);
      expect(empty.json).toEqual({
        id: journey.id,
        status: "draft",
        version: null,
        totals: { entered: 0, in_journey: 0, completed: 0, converted: 0, exited: 0, failed: 0 },
        nodes: [
          { node_id: "trigger", type: "trigger", entered: 0, waiting: 0, completed: 0, failed: 0, converted: 0 },
          { node_id: "wait-a-day", type: "delay", entered: 0, waiting: 0, completed: 0, failed: 0, converted: 0 },
          { node_id: "done", type: "exit", entered: 0, waiting: 0, completed: 0, failed: 0, converted: 0 },
        ],
      });

      await api.publish(token, journey.id);
      await api.enroll(token, journey.id, { contacts: people.map((person) => person.id) });
      const entered = await api.stats(token, journey.id);
      expect(entered.json.totals).toEqual({ entered: 2, in_journey: 2, completed: 0, converted: 0, exited: 0, failed: 0 });
      expect(entered.json.nodes[0]).toEqual({ node_id: "trigger", type: "trigger", entered: 2, waiting: 2, completed: 0, failed: 0, converted: 0 });

      // The engine takes them to the delay, where they wait a day.
      const now = new Date();
      await advanceRuns(db, { workspaceId: workspace.id, now });
      const waiting = await api.stats(token, journey.id);
      expect(waiting.json.totals).toMatchObject({ entered: 2, in_journey: 2 });
      expect(waiting.json.nodes.slice(0, 2)).toEqual([
        { node_id: "trigger", type: "trigger", entered: 2, waiting: 0, completed: 2, failed: 0, converted: 0 },
        { node_id: "wait-a-day", type: "delay", entered: 2, waiting: 2, completed: 0, failed: 0, converted: 0 },
      ]);
      const atDelay = await api.runs(token, journey.id, { node: "wait-a-day" });
      expect(atDelay.json.data).toHaveLength(2);
      expect(atDelay.json.data[0]).toMatchObject({ node_id: "wait-a-day", status: "waiting" });
      expect(Date.parse(atDelay.json.data[0].wait_until)).toBe(now.getTime() + 86_400_000);

      // A day later they reach the exit and the journey is done with them.
      await advanceRuns(db, { workspaceId: workspace.id, now: new Date(now.getTime() + 86_400_000 + 1000) });
      const finished = await api.stats(token, journey.id);
      expect(finished.json.totals).toEqual({ entered: 2, in_journey: 0, completed: 2, converted: 0, exited: 0, failed: 0 });
      expect(finished.json.nodes[1]).toMatchObject({ node_id: "wait-a-day", entered: 2, waiting: 0, completed: 2 });
      expect((await api.runs(token, journey.id, { node: "wait-a-day" })).json.data).toEqual([]);
      expect((await api.runs(token, journey.id, { status: "completed" })).json.data).toHaveLength(2);

      const path = await api.contactJourneys(token, people[0].id);
      expect(path.json.data[0]).toMatchObject({ status: "completed", ended_at: expect.any(String) });
      expect(path.json.data[0].path.map((step: { node_id: string }) => step.node_id).slice(0, 2)).toEqual(["trigger", "wait-a-day"]);
      expect(path.json.data[0].path[0]).toMatchObject({ outcome: "completed", handle: null, left_at: expect.stringMatching(/Z$/) });
    });
    it("lists each journey with how many contacts are in it, have entered and converted", async () => {
      const { token } = await setup();
      const people = [];
      for (const email of ["a@example.test", "b@example.test"]) people.push((await api.createContact(token, { email })).json);
      const { json: journey } = await api.create(token, { name: "Counted", graph: manualGraph() });
      await api.publish(token, journey.id);
      await api.enroll(token, journey.id, { contacts: people.map((person) => person.id) });
      expect((await api.list(token)).json.data).toEqual([expect.objectContaining({ id: journey.id, in_journey: 2, entered: 2, converted: 0 })]);
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { listContacts } from "@/db/queries/contacts";
import { attributeTypesOf, mergedInto, previousPageCursor, workspaceHasContacts } from "@/db/queries/contact-views";
import { attributeDefinitions, contactMerges, contacts } from "@/db/schema";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

describe.each(databaseKinds)("the contacts list's paging and look-ups on %s", (kind) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });

  afterAll(async () => {
    await database?.close();
  });

  // 23 contacts, newest first c00..c22; every third is tagged "vip"; two share a created_at.
  async function seed() {
    const { workspace } = await createOwnedWorkspace(database.db);
    const base = Date.parse("2026-02-01T00:00:00Z");
    const rows = Array.from({ length: 23 }, (_, index) => ({
      workspaceId: workspace.id,
      email: `c${String(index).padStart(2, "0")}@example.com`,
      tags: index % 3 === 0 ? ["vip"] : [],
      createdAt: new Date(base - (index === 6 ? 5 : index) * 60_000),
    }));
    await database.db.insert(contacts).values(rows);
    return workspace.id;
  }

  async function walk(workspaceId: string, filter: { tag?: string; search?: string }, limit: number) {
    const pages: Array<{ emails: string[]; cursor: string | null }> = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await listContacts(database.db, { workspaceId, ...filter, limit, cursor });
      pages.push({ emails: page.contacts.map((contact) => contact.email!), cursor });
      if (!page.nextCursor) return pages;
      cursor = page.nextCursor;
    }
  }

  it("walks back page by page to exactly the pages it walked forward", async () => {
    const workspaceId = await seed();
    for (const filter of [{}, { tag: "vip" }, { search: "c1" }]) {
      const pages = await walk(workspaceId, filter, 5);
      expect(pages.flatMap((page) => page.emails)).toHaveLength(new Set(pages.flatMap((page) => page.emails)).size);
      for (let index = 1; index < pages.length; index += 1) {
        const shown = await listContacts(database.db, { workspaceId, ...filter, limit: 5, cursor: pages[index].cursor });
        const previous = await previousPageCursor(database.db, { workspaceId, ...filter, limit: 5, first: shown.contacts[0] });
        expect(previous).toBe(pages[index - 1].cursor);
      }
    }
  });

  it("tells an empty workspace from one with contacts", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    expect(await workspaceHasContacts(database.db, workspace.id)).toBe(false);
    const workspaceId = await seed();
    expect(await workspaceHasContacts(database.db, workspaceId)).toBe(true);
  });

  it("finds where a merged-away contact went, and the attribute types, in its own workspace only", async () => {
    const workspaceId = await seed();
    const other = await createOwnedWorkspace(database.db);
    const [from, into] = ["6c1f4b8e-1111-4a1d-9e7f-0a1b2c3d4e5f", "6c1f4b8e-2222-4a1d-9e7f-0a1b2c3d4e5f"];
    await database.db.insert(contactMerges).values({ workspaceId, fromContactId: from, intoContactId: into });
    expect(await mergedInto(database.db, workspaceId, from)).toBe(into);
    expect(await mergedInto(database.db, other.workspace.id, from)).toBeUndefined();

    await database.db.insert(attributeDefinitions).values([
      { workspaceId, key: "plan", type: "string" },
      { workspaceId, key: "renews", type: "date", declared: true },
    ]);
    expect(await attributeTypesOf(database.db, workspaceId)).toEqual({ plan: "string", renews: "date" });
    expect(await attributeTypesOf(database.db, other.workspace.id)).toEqual({});
  });
});

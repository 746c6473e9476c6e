import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { contacts } from "@/db/schema";
import { createSegment, listMembers } from "@/lib/segments/manage";
import { parseIdentifiers, resolveContactIdentifiers } from "@/lib/segments/list-members";
import { changeListMembers } from "@/lib/segments/membership";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

describe("pasted identifiers", () => {
  it("splits lines, commas, semicolons and tabs, drops quotes, blanks and repeats", () => {
    expect(parseIdentifiers(' ann@example.com\r\n"bob@example.com";u-1,\tu-1\n\n ')).toEqual(["ann@example.com", "bob@example.com", "u-1"]);
  });
});

describe.each(databaseKinds)("static list members by email and external id on %s", (kind) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("adds and removes the contacts that emails, external ids and ids name, in this workspace only, and lists the rest", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const { workspace: other } = await createOwnedWorkspace(database.db);
    const [ann, bob, li] = await database.db
      .insert(contacts)
      .values([
        { workspaceId: workspace.id, email: "Ann@Example.com", externalId: "u-1" },
        { workspaceId: workspace.id, email: "bob@example.com" },
        { workspaceId: workspace.id, externalId: "李-7", firstName: "李" },
      ])
      .returning();
    await database.db.insert(contacts).values({ workspaceId: other.id, email: "zoe@example.com", externalId: "u-9" });

    const named = parseIdentifiers(`ann@EXAMPLE.com\n李-7\n${bob.id}\nzoe@example.com\nu-9\nnobody@example.com`);
    const { ids, missing } = await resolveContactIdentifiers(database.db, workspace.id, named);
    expect(ids.sort()).toEqual([ann.id, bob.id, li.id].sort());
    expect(missing).toEqual(["zoe@example.com", "u-9", "nobody@example.com"]);

    const list = await createSegment(database.db, workspace.id, { name: "VIP guests", kind: "static" });
    expect(await changeListMembers(database.db, workspace.id, list.id, { add: ids })).toMatchObject({ members: 3 });
    // Adding again changes nothing.
    expect((await changeListMembers(database.db, workspace.id, list.id, { add: ids }))?.entered).toHaveLength(0);

    const removal = await resolveContactIdentifiers(database.db, workspace.id, ["u-1"]);
    expect(await changeListMembers(database.db, workspace.id, list.id, { remove: removal.ids })).toMatchObject({ members: 2 });
    const { members } = await listMembers(database.db, workspace.id, list.id, { limit: 10 });
    expect(members.map((member) => member.id).sort()).toEqual([bob.id, li.id].sort());
  });
});

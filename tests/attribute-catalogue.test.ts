import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { contacts } from "@/db/schema";
import { discoverAttributes } from "@/lib/contacts/attributes";
import {
  checkAttributeTypes,
  countUncastable,
  declareAttribute,
  findAttribute,
  fitsType,
  listAttributes,
} from "@/lib/contacts/attribute-catalogue";
import { AppError } from "@/lib/errors";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

describe("declared attribute types", () => {
  it("accepts only values of the declared type on write", () => {
    expect(fitsType("pro", "string")).toBe(true);
    expect(fitsType(5, "string")).toBe(false);
    expect(fitsType(5, "number")).toBe(true);
    expect(fitsType("5", "number")).toBe(false);
    expect(fitsType(false, "boolean")).toBe(true);
    expect(fitsType("true", "boolean")).toBe(false);
    expect(fitsType("2026-09-01", "date")).toBe(true);
    expect(fitsType("2026-09-01T10:00:00+08:00", "date")).toBe(true);
    expect(fitsType("next week", "date")).toBe(false);
    expect(fitsType(["a"], "list")).toBe(true);
    expect(fitsType("a", "list")).toBe(false);
  });
});

describe.each(databaseKinds)("attribute catalogue on %s", (kind) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  async function seed(values: Array<Record<string, unknown>>) {
    const { workspace } = await createOwnedWorkspace(database.db);
    if (values.length > 0) {
      await database.db.insert(contacts).values(
        values.map((attributes, index) => ({ workspaceId: workspace.id, externalId: `c-${index}`, attributes: attributes as never })),
      );
    }
    const seen = new Map<string, unknown>();
    for (const attributes of values) for (const [key, value] of Object.entries(attributes)) if (!seen.has(key)) seen.set(key, value);
    await discoverAttributes(database.db, workspace.id, seen);
    return workspace.id;
  }

  async function refusal(promise: Promise<unknown>) {
    const error = await promise.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }

  it("lists discovered keys with their inferred type, sample and times", async () => {
    const workspaceId = await seed([{ plan: "pro", seats: 3, vip: true, tags_seen: ["a"], renews: "2026-01-31" }]);
    const listed = await listAttributes(database.db, workspaceId);
    expect(listed.map((attribute) => [attribute.key, attribute.type, attribute.declared])).toEqual([
      ["plan", "string", false],
      ["renews", "date", false],
      ["seats", "number", false],
      ["tags_seen", "list", false],
      ["vip", "boolean", false],
    ]);
    expect(listed[0].sample).toBe("pro");
    expect(listed[0].firstSeenAt).toBeInstanceOf(Date);
  });

  it("declares a type when every stored value can be read as it, keeping the label unless told", async () => {
    const workspaceId = await seed([{ seats: "12" }, { seats: 7 }, { seats: null }, { other: 1 }]);
    const declared = await declareAttribute(database.db, { workspaceId, key: "seats", type: "number", label: "Seats" });
    expect(declared).toMatchObject({ key: "seats", type: "number", declared: true, label: "Seats" });
    const relabelled = await declareAttribute(database.db, { workspaceId, key: "seats", label: "Licensed seats" });
    expect(relabelled).toMatchObject({ type: "number", declared: true, label: "Licensed seats" });
    const retyped = await declareAttribute(database.db, { workspaceId, key: "seats", type: "string" });
    expect(retyped).toMatchObject({ type: "string", label: "Licensed seats" });
    expect((await declareAttribute(database.db, { workspaceId, key: "seats", label: null })).label).toBeNull();
  });

  it("refuses a type that existing values cannot take, saying how many and showing examples", async () => {
    const workspaceId = await seed([{ plan: "pro" }, { plan: "team" }, { plan: 3 }, { plan: "4.5" }, {}]);
    const error = await refusal(declareAttribute(database.db, { workspaceId, key: "plan", type: "number" }));
    expect(error.status).toBe(422);
    expect(error.code).toBe("validation_failed");
    expect(error.message).toContain("2 contacts");
    expect(error.message).toContain("plan");
    expect(error.details).toEqual([expect.objectContaining({ count: 2, examples: expect.arrayContaining(["pro", "team"]) })]);
    expect(await findAttribute(database.db, workspaceId, "plan")).toMatchObject({ type: "string", declared: false });

    const asBoolean = await refusal(declareAttribute(database.db, { workspaceId, key: "plan", type: "boolean" }));
    expect(asBoolean.message).toContain("4 contacts");
    const asList = await refusal(declareAttribute(database.db, { workspaceId, key: "plan", type: "list" }));
    expect(asList.message).toContain("4 contacts");
  });

  it("reads dates, booleans, lists and strings the way segment rules cast them", async () => {
    const workspaceId = await seed([
      { d: "2026-02-03", b: "TRUE", l: ["x"], s: 5, n: "1e3" },
      { d: "2026-02-03T10:00:00Z", b: false, l: [], s: true, n: "-0.5" },
      { d: "2026-13-01", b: "yes", l: "x", s: { nested: 1 }, n: "12 apples" },
    ]);
    const count = async (key: string, type: "string" | "number" | "boolean" | "date" | "list") =>
      (await countUncastable(database.db, workspaceId, key, type)).count;
    expect(await count("d", "date")).toBe(1);
    expect(await count("b", "boolean")).toBe(1);
    expect(await count("l", "list")).toBe(1);
    expect(await count("s", "string")).toBe(1);
    expect(await count("n", "number")).toBe(1);
    expect(await count("missing", "number")).toBe(0);
  });

  it("declares a key before any data arrives, but needs a type to do so", async () => {
    const workspaceId = await seed([]);
    const error = await refusal(declareAttribute(database.db, { workspaceId, key: "birthday", label: "Birthday" }));
    expect(error.status).toBe(404);
    const declared = await declareAttribute(database.db, { workspaceId, key: "birthday", type: "date", label: "Birthday" });
    expect(declared).toMatchObject({ key: "birthday", type: "date", declared: true, label: "Birthday" });
    // Discovery never changes a declared type.
    await discoverAttributes(database.db, workspaceId, new Map([["birthday", 42]]));
    expect(await findAttribute(database.db, workspaceId, "birthday")).toMatchObject({ type: "date", declared: true });
  });

  it("checks written values against declared types only, naming each offending attribute", async () => {
    const workspaceId = await seed([{ seats: 1, plan: "pro" }]);
    await declareAttribute(database.db, { workspaceId, key: "seats", type: "number" });
    await expect(checkAttributeTypes(database.db, workspaceId, { seats: 2, plan: 5, fresh: "x", removed: null })).resolves.toBeUndefined();
    const error = await refusal(checkAttributeTypes(database.db, workspaceId, { seats: "two" }));
    expect(error.status).toBe(422);
    expect(error.message).toBe('Invalid attributes.seats: seats is declared as number; got the string "two".');
    expect(error.details).toEqual([{ path: "attributes.seats", message: expect.any(String), expected: "number" }]);
  });

  it("keeps each workspace's catalogue to itself", async () => {
    const first = await seed([{ plan: "pro" }]);
    const second = await seed([{ plan: 5 }]);
    await declareAttribute(database.db, { workspaceId: second, key: "plan", type: "number" });
    expect(await findAttribute(database.db, first, "plan")).toMatchObject({ type: "string", declared: false });
    expect((await listAttributes(database.db, second)).map((attribute) => attribute.key)).toEqual(["plan"]);
  });
});

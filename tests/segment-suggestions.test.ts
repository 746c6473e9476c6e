import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { eventNames, eventPropertyKeys } from "@/db/queries/segment-views";
import { events, type JsonObject } from "@/db/schema";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

// What the rule builder suggests: event names the workspace has seen and each event's property keys.
describe.each(databaseKinds)("builder suggestions from real events on %s", (kind) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("lists this workspace's event names, most recently seen first, without segment.* and without other workspaces'", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const { workspace: other } = await createOwnedWorkspace(database.db);
    const at = (day: number) => new Date(Date.UTC(2026, 10, day));
    let n = 0;
    const event = (workspaceId: string, name: string | null, day: number, properties: JsonObject = {}) => ({
      workspaceId,
      messageId: `m-${n++}`,
      type: name === "Page Viewed" ? ("page" as const) : name === null ? ("identify" as const) : ("track" as const),
      name,
      properties,
      timestamp: at(day),
    });
    await database.db.insert(events).values([
      event(workspace.id, "Order Completed", 3, { amount: 10, currency: "CNY" }),
      event(workspace.id, "Order Completed", 4, { amount: 12 }),
      event(workspace.id, "Order Completed", 5, { amount: 20, coupon: "满100减10" }),
      event(workspace.id, "Page Viewed", 6, { path: "/pricing" }),
      event(workspace.id, "积分兑换", 2, { points: 500 }),
      event(workspace.id, "segment.entered", 7, { segment_id: "x" }),
      event(workspace.id, null, 8),
      event(other.id, "Other Workspace Event", 9, { secret: 1 }),
    ]);

    expect(await eventNames(database.db, workspace.id)).toEqual(["Page Viewed", "Order Completed", "积分兑换"]);
    expect(await eventNames(database.db, workspace.id, 2)).toEqual(["Page Viewed", "Order Completed"]);
    expect(await eventNames(database.db, other.id)).toEqual(["Other Workspace Event"]);

    const keys = await eventPropertyKeys(database.db, workspace.id, ["Order Completed", "积分兑换", "Other Workspace Event", "Never Seen"]);
    expect(keys).toEqual({ "Order Completed": ["amount", "coupon", "currency"], 积分兑换: ["points"] });
    // Only the latest events are read: the oldest order's currency is not among the last two.
    expect(await eventPropertyKeys(database.db, workspace.id, ["Order Completed"], 2)).toEqual({ "Order Completed": ["amount", "coupon"] });
    expect(await eventPropertyKeys(database.db, workspace.id, [])).toEqual({});
  });
});

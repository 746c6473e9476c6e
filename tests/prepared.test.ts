import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { boundedStatements } from "@/db/prepared";
import { queryRows } from "@/db/sql";
import { createFreshPostgres, postgresUrl } from "./helpers/database";

describe("prepared statements", () => {
  it("prepares the first statement texts up to the limit, and those again, but no more", () => {
    const policy = boundedStatements(2, 100);
    expect([policy.shouldPrepare("select 1"), policy.shouldPrepare("select 2"), policy.shouldPrepare("select 3")]).toEqual([true, true, false]);
    expect(policy.shouldPrepare("select 1")).toBe(true);
    expect(policy.shouldPrepare(`select '${"x".repeat(200)}'`)).toBe(false);
    expect(policy.prepared).toBe(2);
  });

  it.skipIf(!postgresUrl)("runs drizzle's queries on Postgres as prepared statements, in transactions too", async () => {
    const fresh = await createFreshPostgres();
    const database = await openDatabase({ url: fresh.url });
    try {
      const seen = await database.db.transaction(async (tx) => {
        for (let n = 0; n < 3; n++) await queryRows(tx, sql`select ${n}::int as n, 'prepared-marker' as marker`);
        return queryRows<{ statement: string }>(tx, sql`select statement from pg_prepared_statements where statement like ${"%prepared-marker%"}`);
      });
      // One statement, prepared once on this connection and run three times.
      expect(seen.filter((row) => !row.statement.includes("pg_prepared_statements"))).toHaveLength(1);
    } finally {
      await database.close();
      await fresh.drop();
    }
  });
});

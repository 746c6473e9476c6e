import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { eq } from "drizzle-orm";
import { getDatabase } from "@/db/client";
import { contacts } from "@/db/schema";
import { GET as drainRoute } from "@/app/api/cron/jobs/route";
import { getBoss } from "@/jobs/boss";
import { parseCall, type TrackingCall } from "@/lib/tracking/calls";
import { ingestCalls, pendingEvents } from "@/lib/tracking/ingest";
import { createOwnedWorkspace } from "./accounts";

function cronRequest(authorization?: string) {
  return new NextRequest("http://localhost/api/cron/jobs?budgetMs=10000", {
    headers: authorization ? { authorization } : {},
  });
}

function track(userId: string, event: string): TrackingCall {
  const parsed = parseCall("track", { userId, event });
  if ("reason" in parsed) throw new Error(parsed.reason);
  return parsed.call;
}

/** The serverless path: no worker runs; the cron route drains what tracking calls queued. */
export function cronSuite(kind: "embedded" | "postgres") {
  describe(`GET /api/cron/jobs on ${kind}`, () => {
    const secret = "cron-secret-for-tests";

    beforeAll(() => {
      process.env.CRON_SECRET = secret;
    });

    afterAll(async () => {
      await (await getBoss()).stop({ graceful: false, wait: true, timeout: 2000 });
      await (await getDatabase()).close();
    });

    it("refuses callers without the secret, and says how to call it", async () => {
      const missing = await drainRoute(cronRequest());
      expect(missing.status).toBe(401);
      expect((await missing.json()).error.message).toContain("CRON_SECRET");
      expect((await drainRoute(cronRequest("Bearer wrong"))).status).toBe(401);
    });

    it("is off (403) until CRON_SECRET is configured", async () => {
      delete process.env.CRON_SECRET;
      try {
        const response = await drainRoute(cronRequest(`Bearer ${secret}`));
        expect(response.status).toBe(403);
      } finally {
        process.env.CRON_SECRET = secret;
      }
    });

    it("drains the queued processing of tracking calls, with no worker running", async () => {
      const { db } = await getDatabase();
      const { workspace } = await createOwnedWorkspace(db);
      await ingestCalls(db, workspace.id, [track("cron-user", "Signed Up"), track("cron-user", "Upgraded")]);
      expect(await pendingEvents(db, workspace.id)).toBe(2);

      const response = await drainRoute(cronRequest(`Bearer ${secret}`));
      expect(response.status).toBe(200);
      const report = (await response.json()) as { ok: boolean; queues: Record<string, { completed: number; failed: number }> };
      expect(report.ok).toBe(true);
      expect(report.queues["event.process"].completed).toBeGreaterThanOrEqual(1);
      expect(report.queues["event.process"].failed).toBe(0);

      expect(await pendingEvents(db, workspace.id)).toBe(0);
      const rows = await db.select().from(contacts).where(eq(contacts.workspaceId, workspace.id));
      expect(rows.map((row) => row.externalId)).toEqual(["cron-user"]);
    });
  });
}

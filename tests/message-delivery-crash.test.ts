import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { openDatabase, type Database } from "@/db/client";
import { contacts, messages } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import { queueMessage } from "@/lib/messages/send";
import { saveMessagingSettings } from "@/lib/messages/settings";
import { createTemplate } from "@/lib/messages/templates";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createOwnedWorkspace } from "./helpers/accounts";
import { createFreshPostgres, postgresUrl } from "./helpers/database";
import { startSmtpCatcher, type SmtpCatcher } from "./helpers/smtp";
import { startWorker } from "./helpers/spawn";

// The separate worker process needs a server database (the embedded one is one process only);
// the same recovery path runs on both databases in tests/message-delivery.test.ts.
describe.skipIf(!postgresUrl)("message.send survives a worker killed mid-send (Postgres)", () => {
  let fresh: Awaited<ReturnType<typeof createFreshPostgres>>;
  let database: Database;
  let boss: PgBoss;
  let smtp: SmtpCatcher;

  beforeAll(async () => {
    fresh = await createFreshPostgres();
    database = await openDatabase({ url: fresh.url });
    boss = await createBoss(database, { maintenance: false });
    await ensureQueues(boss, jobs);
    setBoss(boss);
    smtp = await startSmtpCatcher();
  });

  afterAll(async () => {
    await smtp?.close();
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    await database?.close();
    await fresh?.drop();
  });

  it("delivers exactly one copy when the worker dies after the SMTP server took the message", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    await saveMessagingSettings(database.db, workspace.id, { smtpUrl: smtp.url, postalAddress: "1 Harbour Road" });
    const input = templateCreateSchema.parse({
      name: "Receipt",
      channel: "email",
      kind: "transactional",
      format: "code",
      subject: "Your receipt",
      from_email: "shop@example.test",
      content: { component: "transactional", props: {} },
    });
    const { template } = await createTemplate(database.db, workspace.id, input);
    const [ann] = await database.db.insert(contacts).values({ workspaceId: workspace.id, email: "ann@example.test" }).returning();

    const first = startWorker(fresh.url);
    // The first worker is killed the moment the message has fully arrived, before the server's
    // "250 OK" reaches it: it never learns the message was accepted.
    smtp.onReceived = () => {
      first.kill("SIGKILL");
    };
    const { message } = await queueMessage(database.db, { workspaceId: workspace.id, contactId: ann.id, templateId: template.id, idempotencyKey: "crash:1", source: "api" });
    const gaveUp = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 40_000));
    if ((await Promise.race([first.exited, gaveUp])) === "timeout") {
      first.kill("SIGKILL");
      const queue = await database.db.execute(sql`select state, retry_count, output from pgboss.job where name = 'message.send'`);
      throw new Error(`the worker never sent the message; it said:\n${first.output()}\njobs: ${JSON.stringify(queue)}\nmessages: ${JSON.stringify(await database.db.select().from(messages))}`);
    }
    smtp.onReceived = undefined;
    expect(smtp.received).toHaveLength(1);
    const [inFlight] = await database.db.select().from(messages).where(and(eq(messages.workspaceId, workspace.id), eq(messages.id, message.id)));
    expect(inFlight.status).toBe("sending");

    // The job's expiry passing is what makes pg-boss retry it; expire it now instead of in two minutes.
    await database.db.execute(sql`update pgboss.job set state = 'retry', start_after = now() where name = 'message.send' and state = 'active'`);
    const second = startWorker(fresh.url);
    try {
      await expect
        .poll(async () => {
          const [row] = await database.db.select().from(messages).where(and(eq(messages.workspaceId, workspace.id), eq(messages.id, message.id)));
          return row.status;
        })
        .toBe("sent");
      expect(smtp.received).toHaveLength(1);
      const [recovered] = await database.db.select().from(messages).where(and(eq(messages.workspaceId, workspace.id), eq(messages.id, message.id)));
      expect(recovered.statusReason).toBe("interrupted_after_handover");
    } finally {
      second.kill("SIGTERM");
      await second.exited;
    }
  });
});

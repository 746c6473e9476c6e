import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { openDatabase, type Database } from "@/db/client";
import { queryRows } from "@/db/sql";
import { contacts, senderIdentities } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { messageSend } from "@/jobs/message-send";
import { jobs } from "@/jobs/registry";
import { createBroadcast, getBroadcast, sendBroadcast } from "@/lib/broadcasts/manage";
import { setConsent } from "@/lib/messages/consent";
import { saveMessagingSettings } from "@/lib/messages/settings";
import { suppressAddress } from "@/lib/messages/suppressions";
import { createTemplate } from "@/lib/messages/templates";
import { createSegment } from "@/lib/segments/manage";
import { changeListMembers } from "@/lib/segments/membership";
import { broadcastCreateSchema } from "@/lib/validation/broadcasts";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createOwnedWorkspace } from "./helpers/accounts";
import { createFreshPostgres, postgresUrl } from "./helpers/database";
import { startSmtpCatcher, type SmtpCatcher } from "./helpers/smtp";
import { startWorker, type WorkerProcess } from "./helpers/spawn";

const audienceSize = 10_000;

// A real worker process sends a 10k-contact broadcast through a real SMTP server and is
// SIGKILLed twice mid-send. The separate process needs a server database (the embedded one is
// one process only); the same fan-out and hand-over code runs on both in tests/broadcasts.test.ts.
describe.skipIf(!postgresUrl)("a 10k broadcast survives its worker killed twice (Postgres)", () => {
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

  it("delivers one message to each eligible contact, none to the suppressed or unsubscribed", { timeout: 600_000 }, async () => {
    const db = database.db;
    const { workspace } = await createOwnedWorkspace(db);
    await saveMessagingSettings(db, workspace.id, { smtpUrl: smtp.url, postalAddress: "1 Harbour Road" });
    await db.insert(senderIdentities).values({ workspaceId: workspace.id, name: "Acme", email: "news@example.test", isDefault: true });
    const { template } = await createTemplate(
      db,
      workspace.id,
      templateCreateSchema.parse({ name: "Sale", channel: "email", format: "code", subject: "Sale, {{ contact.first_name }}", content: { component: "newsletter", props: {} } }),
    );
    const people = await db
      .insert(contacts)
      .values(Array.from({ length: audienceSize }, (_, index) => ({ workspaceId: workspace.id, email: `p${index}@example.test`, firstName: `P${index}` })))
      .returning({ id: contacts.id, email: contacts.email });
    const list = await createSegment(db, workspace.id, { name: "Everyone", kind: "static" });
    for (let start = 0; start < people.length; start += 5000) {
      await changeListMembers(db, workspace.id, list.id, { add: people.slice(start, start + 5000).map((person) => person.id) });
    }
    // 50 bounced addresses and 50 people who unsubscribed from everything.
    const bounced = people.slice(0, 50);
    const unsubscribed = people.slice(50, 100);
    for (const person of bounced) await suppressAddress(db, { workspaceId: workspace.id, channel: "email", address: person.email!, reason: "hard_bounce" });
    for (const person of unsubscribed) await setConsent(db, { workspaceId: workspace.id, contactId: person.id, channel: "email", status: "revoked", source: "one_click" });
    const eligible = new Set(people.slice(100).map((person) => person.email!));

    const broadcast = await createBroadcast(db, workspace.id, broadcastCreateSchema.parse({ name: "Sale", template_id: template.id, audience: { include: [list.id] } }));
    await sendBroadcast(db, workspace.id, broadcast.id);

    const waitFor = async (condition: () => Promise<boolean> | boolean, what: string, worker: WorkerProcess, limitMs = 240_000) => {
      const deadline = Date.now() + limitMs;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; worker said:\n${worker.output().slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    // A killed worker's jobs stay active until their expiry; expire them now instead of in minutes.
    const expireActiveJobs = () => db.execute(sql`update pgboss.job set state = 'retry', start_after = now() where state = 'active'`);

    const first = startWorker(fresh.url);
    await waitFor(() => smtp.received.length >= 2000, "2000 messages", first);
    first.kill("SIGKILL");
    await first.exited;
    await expireActiveJobs();

    const second = startWorker(fresh.url);
    await waitFor(() => smtp.received.length >= 6000, "6000 messages", second);
    second.kill("SIGKILL");
    await second.exited;
    await expireActiveJobs();

    const third = startWorker(fresh.url);
    try {
      await waitFor(async () => (await getBroadcast(db, workspace.id, broadcast.id))?.status === "sent", "the broadcast to be sent", third, 400_000);
    } finally {
      third.kill("SIGTERM");
      await third.exited;
    }

    // One message per eligible contact, as a receiver counts messages: by Message-ID. A worker
    // killed in the microseconds between writing SMTP's final "." and the claim's COMMIT leaves
    // the message queued although the server has it, and the retry sends it again under the same
    // Message-ID (docs/messages.md, step 6). Only a message in flight at a kill can be resent:
    // at most one per lane per kill. Anything else (a contact missed, two messages for one
    // contact, a resend of a message that was not in flight) fails here.
    const idsByAddress = new Map<string, string[]>();
    for (const mail of smtp.received) {
      for (const address of mail.envelopeTo) idsByAddress.set(address, [...(idsByAddress.get(address) ?? []), mail.parsed.messageId ?? "(no Message-ID)"]);
    }
    const missing = [...eligible].filter((address) => !idsByAddress.has(address));
    const strangers = [...idsByAddress.keys()].filter((address) => !eligible.has(address));
    const twoMessages = [...idsByAddress].filter(([, ids]) => new Set(ids).size > 1).map(([address]) => address);
    const resent = [...idsByAddress].filter(([, ids]) => ids.length > 1).map(([address]) => address);
    const odd = [...new Set([...missing, ...twoMessages, ...resent])];
    if (odd.length > 0) {
      // Which messages went wrong, and how their attempts ended, for whoever reads the output.
      const rows = await queryRows(
        db,
        sql`select m.to_address, m.status, m.status_reason, m.attempts, array_agg(e.type || ':' || coalesce(e.reason, '') order by e.id) as events
            from messages m left join message_events e on e.workspace_id = m.workspace_id and e.message_id = m.id
            where m.workspace_id = ${workspace.id} and m.to_address = any(${odd}) group by m.workspace_id, m.id`,
      );
      console.error("missing:", missing, "two messages:", twoMessages, "resent:", resent, rows);
    }
    expect(missing).toEqual([]);
    expect(strangers).toEqual([]);
    expect(twoMessages).toEqual([]);
    expect(resent.length).toBeLessThanOrEqual(2 * messageSend.options.concurrency!);

    const statuses = await queryRows<{ status: string; n: number }>(
      db,
      sql`select status, count(*)::int as n from messages where workspace_id = ${workspace.id} and source = 'broadcast' group by status order by status`,
    );
    expect(Object.fromEntries(statuses.map((row) => [row.status, row.n]))).toEqual({ sent: eligible.size, suppressed: 100 });
    const [done] = await queryRows<{ recipient_count: number }>(db, sql`select recipient_count from broadcasts where workspace_id = ${workspace.id} and id = ${broadcast.id}`);
    expect(done.recipient_count).toBe(audienceSize);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Database, Db } from "@/db/client";
import { attributeDefinitions, contactIdentities, contacts, imports, type Import } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { drainJobs } from "@/jobs/run";
import { queryRows } from "@/db/sql";
import { AppError } from "@/lib/errors";
import { importCsv } from "@/jobs/import-csv";
import { resolveContact } from "@/lib/contacts/identity";
import { guessMapping } from "@/lib/imports/guess";
import type { ColumnMapping, ImportSettings } from "@/lib/imports/mapping";
import { previewImport } from "@/lib/imports/preview";
import { listImportErrors } from "@/lib/imports/queries";
import { runImport } from "@/lib/imports/run";
import { startImport } from "@/lib/imports/start";
import { appendPart, createImport, findImport } from "@/lib/imports/upload";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

/** A request body that arrives in small pieces, as a network would deliver it. */
function bodyOf(bytes: Uint8Array, pieceSize: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + pieceSize));
      offset += pieceSize;
    },
  });
}

/** Uploads a file the way the browser does: announced size, then parts at increasing offsets. */
export async function uploadCsv(
  db: Db,
  owner: { workspaceId: string; userId: string },
  file: string | Uint8Array,
  options: { partSize?: number; pieceSize?: number; fileName?: string } = {},
): Promise<Import> {
  const bytes = typeof file === "string" ? new TextEncoder().encode(file) : file;
  const partSize = options.partSize ?? 4 * 1024 * 1024;
  const created = await createImport(db, { ...owner, fileName: options.fileName ?? "contacts.csv", sizeBytes: bytes.length });
  let result = created;
  for (let offset = 0; offset < bytes.length || offset === 0; offset += partSize) {
    const part = bytes.slice(offset, offset + partSize);
    result = await appendPart(db, {
      workspaceId: owner.workspaceId,
      importId: created.id,
      offset,
      last: offset + partSize >= bytes.length,
      body: bodyOf(part, options.pieceSize ?? 64 * 1024),
    });
    if (bytes.length === 0) break;
  }
  return result;
}

const mainFile =
  "\uFEFFEmail,First name,Last name,Phone,Tags,Seats,Plan\r\n" +
  'ann@example.com,Ann,Lee,+1 555 0100,"vip, beta",5,pro\r\n' +
  "not-an-email,Bad,Email,,,,\r\n" +
  'bob@example.com,Bob,"Smith, Jr.",,beta;early,seven,basic\r\n' +
  ",No,Key,,,,\r\n" +
  'zhang.wei@example.cn,伟,张,,客户,3,"enterprise, annual"\r\n' +
  "\r\n" +
  "CAROL@Example.com,Carol,,,,,\r\n";

describe.each(databaseKinds)("CSV import on %s", (kind) => {
  let database: Database;
  let boss: PgBoss;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    boss = await createBoss(database, { maintenance: false });
    // Only the queue under test: other features' queues are theirs to set up.
    await ensureQueues(boss, [importCsv]);
    setBoss(boss);
  });

  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    await database?.close();
  });

  async function workspace() {
    const { owner, workspace } = await createOwnedWorkspace(database.db);
    return { workspaceId: workspace.id, userId: owner.id };
  }

  async function catalogue(workspaceId: string) {
    const rows = await database.db.select().from(attributeDefinitions).where(eq(attributeDefinitions.workspaceId, workspaceId));
    return new Map(rows.map((row) => [row.key, { type: row.type, declared: row.declared }]));
  }

  /** Maps every column as guessed, then imports to the end. */
  async function importFile(
    owner: { workspaceId: string; userId: string },
    file: string | Uint8Array,
    settings: Partial<ImportSettings> = {},
    upload: { partSize?: number; pieceSize?: number } = {},
  ) {
    const draft = await uploadCsv(database.db, owner, file, upload);
    expect(draft.status).toBe("draft");
    const guessed = guessMapping(draft.columns!, (await previewImport(database.db, draft)).map((row) => row.cells), await catalogue(owner.workspaceId));
    const columns = guessed.map((column) => column.mapping).filter((mapping): mapping is ColumnMapping => Boolean(mapping));
    await queue(owner.workspaceId, draft.id, { columns, matchKey: "email", onExisting: "update", ...settings });
    expect(await runImport(database.db, owner.workspaceId, draft.id)).toBe("done");
    return (await findImport(database.db, owner.workspaceId, draft.id))!;
  }

  // Queued as startImport does, minus the pg-boss job: on the shared Postgres other test files'
  // workers drain every registered queue, and these tests run the import themselves.
  async function queue(workspaceId: string, importId: string, settings: ImportSettings) {
    await database.db
      .update(imports)
      .set({ status: "queued", mapping: settings, matchKey: settings.matchKey, onExisting: settings.onExisting })
      .where(and(eq(imports.workspaceId, workspaceId), eq(imports.id, importId), eq(imports.status, "draft")));
  }

  async function snapshot(workspaceId: string) {
    const people = await database.db.select().from(contacts).where(eq(contacts.workspaceId, workspaceId)).orderBy(asc(contacts.email));
    const identities = await database.db
      .select({ kind: contactIdentities.kind, value: contactIdentities.value, contactId: contactIdentities.contactId })
      .from(contactIdentities)
      .where(eq(contactIdentities.workspaceId, workspaceId))
      .orderBy(asc(contactIdentities.kind), asc(contactIdentities.value));
    return { people, identities };
  }

  it("imports good rows, reports each bad row with its reason, and counts", async () => {
    const owner = await workspace();
    await database.db
      .insert(attributeDefinitions)
      .values({ workspaceId: owner.workspaceId, key: "seats", type: "number", declared: true });
    // Tiny parts and pieces: characters and records cross every boundary there is.
    const done = await importFile(owner, mainFile, {}, { partSize: 11, pieceSize: 3 });

    expect(done).toMatchObject({
      status: "done",
      totalRows: 6,
      processedRows: 6,
      createdCount: 3,
      updatedCount: 0,
      unchangedCount: 0,
      skippedCount: 0,
      errorCount: 3,
      processedBytes: done.sizeBytes,
    });
    expect(done.columns).toEqual(["Email", "First name", "Last name", "Phone", "Tags", "Seats", "Plan"]);

    const { people, identities } = await snapshot(owner.workspaceId);
    expect(people.map((person) => person.email)).toEqual(["ann@example.com", "carol@example.com", "zhang.wei@example.cn"]);
    expect(people[0]).toMatchObject({
      firstName: "Ann",
      lastName: "Lee",
      phone: "+1 555 0100",
      tags: ["beta", "vip"],
      attributes: { seats: 5, plan: "pro" },
    });
    expect(people[2]).toMatchObject({ firstName: "伟", lastName: "张", tags: ["客户"], attributes: { seats: 3, plan: "enterprise, annual" } });
    expect(identities.map((identity) => [identity.kind, identity.value])).toEqual([
      ["email", "ann@example.com"],
      ["email", "carol@example.com"],
      ["email", "zhang.wei@example.cn"],
    ]);

    const bad = await listImportErrors(database.db, { workspaceId: owner.workspaceId, importId: done.id });
    expect(bad.map(({ row, reason, details }) => ({ row, reason, details }))).toEqual([
      { row: 3, reason: "invalid_email", details: { column: "Email", value: "not-an-email" } },
      { row: 4, reason: "wrong_type", details: { column: "Seats", key: "seats", type: "number", value: "seven" } },
      { row: 5, reason: "missing_match_key", details: { column: "Email", field: "email" } },
    ]);
    expect(bad[1].raw).toEqual(["bob@example.com", "Bob", "Smith, Jr.", "", "beta;early", "seven", "basic"]);
    const plan = (await catalogue(owner.workspaceId)).get("plan");
    expect(plan).toEqual({ type: "string", declared: true });
  });

  it("changes nothing when the same file is imported again", async () => {
    const owner = await workspace();
    // Without a declared type, the Seats column ("5", "seven", "3") is guessed to be text.
    const first = await importFile(owner, mainFile);
    expect(first).toMatchObject({ createdCount: 4, errorCount: 2 });
    const before = await snapshot(owner.workspaceId);
    const again = await importFile(owner, mainFile);
    expect(again).toMatchObject({ createdCount: 0, updatedCount: 0, unchangedCount: 4, skippedCount: 0, errorCount: 2 });
    expect(await snapshot(owner.workspaceId)).toEqual(before);
  });

  it("updates or skips contacts that exist, and never clears a value with an empty cell", async () => {
    const owner = await workspace();
    await importFile(owner, mainFile);
    const next = "email,first_name,phone,tags\nann@example.com,Annie,,gold\nnew@example.com,Nia,,\n";

    const skipped = await importFile(owner, next, { onExisting: "skip" });
    expect(skipped).toMatchObject({ createdCount: 1, skippedCount: 1, updatedCount: 0 });
    const [unchanged] = await database.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.workspaceId, owner.workspaceId), eq(contacts.email, "ann@example.com")));
    expect(unchanged).toMatchObject({ firstName: "Ann", tags: ["beta", "vip"] });

    const updated = await importFile(owner, next, { onExisting: "update" });
    expect(updated).toMatchObject({ createdCount: 0, updatedCount: 1, unchangedCount: 1 });
    const [ann] = await database.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.workspaceId, owner.workspaceId), eq(contacts.email, "ann@example.com")));
    expect(ann).toMatchObject({ firstName: "Annie", lastName: "Lee", phone: "+1 555 0100", tags: ["beta", "gold", "vip"] });
  });

  it("matches on the external id, finding contacts that tracking created", async () => {
    const owner = await workspace();
    const tracked = await resolveContact(database.db, owner.workspaceId, { userId: "u-1" }, new Date());
    const file = "User ID,Email,名\nu-1,li@example.com,丽\nu-2,li@example.com,伟\n";
    const done = await importFile(owner, file, { matchKey: "external_id" });
    expect(done).toMatchObject({ createdCount: 1, updatedCount: 1, errorCount: 0 });
    const people = await database.db
      .select()
      .from(contacts)
      .where(eq(contacts.workspaceId, owner.workspaceId))
      .orderBy(asc(contacts.externalId));
    expect(people.map((person) => [person.id === tracked, person.externalId, person.email, person.firstName])).toEqual([
      [true, "u-1", "li@example.com", "丽"],
      [false, "u-2", "li@example.com", "伟"],
    ]);
    // The email identity belongs to the first contact that had it.
    const emailIdentities = await database.db
      .select()
      .from(contactIdentities)
      .where(and(eq(contactIdentities.workspaceId, owner.workspaceId), eq(contactIdentities.kind, "email")));
    expect(emailIdentities.map((identity) => identity.contactId)).toEqual([tracked]);
  });

  it("never moves an external id: taken by another contact, or the contact has another", async () => {
    const owner = await workspace();
    await importFile(owner, "email,external id\nc@example.com,c-1\n");
    const done = await importFile(owner, "email,external id\na@example.com,x-1\nb@example.com,x-1\nc@example.com,c-2\nd@example.com,c-1\n");
    expect(done).toMatchObject({ createdCount: 1, errorCount: 3 });
    const bad = await listImportErrors(database.db, { workspaceId: owner.workspaceId, importId: done.id });
    expect(bad.map(({ row, reason, details }) => ({ row, reason, details }))).toEqual([
      { row: 3, reason: "external_id_taken", details: { value: "x-1" } },
      { row: 4, reason: "external_id_conflict", details: { value: "c-2", current: "c-1" } },
      { row: 5, reason: "external_id_taken", details: { value: "c-1" } },
    ]);
    expect(bad[0].raw).toEqual(["b@example.com", "x-1"]);
  });

  it("reads a GBK (GB18030) file from Excel on Chinese Windows", async () => {
    const owner = await workspace();
    // 邮箱,名 / a@example.com,张伟 in GB18030, delivered one byte at a time.
    const bytes = Uint8Array.from([
      0xd3, 0xca, 0xcf, 0xe4, 0x2c, 0xc3, 0xfb, 0x0a, ...new TextEncoder().encode("a@example.com,"), 0xd5, 0xc5, 0xce, 0xb0, 0x0a,
    ]);
    const done = await importFile(owner, bytes, {}, { partSize: 5, pieceSize: 1 });
    expect(done).toMatchObject({ encoding: "gb18030", columns: ["邮箱", "名"], createdCount: 1 });
    const [person] = await database.db.select().from(contacts).where(eq(contacts.workspaceId, owner.workspaceId));
    expect(person).toMatchObject({ email: "a@example.com", firstName: "张伟" });
  });

  it("queues import.csv with the import, and the job imports the file", async () => {
    const owner = await workspace();
    const draft = await uploadCsv(database.db, owner, "email,tags\nq@example.com,a;b\n");
    await startImport(database.db, owner.workspaceId, draft.id, {
      columns: [
        { index: 0, target: "field", field: "email" },
        { index: 1, target: "tags" },
      ],
      matchKey: "email",
      onExisting: "update",
    });
    const [queued] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from pgboss.job where name = 'import.csv' and data->>'importId' = ${draft.id}`,
    );
    expect(queued.n).toBe(1);
    await drainJobs(boss, database, [importCsv], 30_000);
    // Another test file's worker on the shared Postgres may have taken the job: wait for the result.
    for (let wait = 0; (await findImport(database.db, owner.workspaceId, draft.id))?.status !== "done" && wait < 100; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await findImport(database.db, owner.workspaceId, draft.id)).toMatchObject({ status: "done", createdCount: 1 });
    await expect(startImport(database.db, owner.workspaceId, draft.id, { columns: [], matchKey: "email", onExisting: "skip" })).rejects.toThrow(
      "already started",
    );
  });

  it("refuses a file over 200 MB and a part sent out of order", async () => {
    const owner = await workspace();
    await expect(createImport(database.db, { ...owner, fileName: "huge.csv", sizeBytes: 201 * 1024 * 1024 })).rejects.toMatchObject({
      status: 413,
    });
    const started = await createImport(database.db, { ...owner, fileName: "a.csv", sizeBytes: 10 });
    const late = appendPart(database.db, { workspaceId: owner.workspaceId, importId: started.id, offset: 5, last: true, body: bodyOf(new Uint8Array(5), 5) });
    await expect(late).rejects.toBeInstanceOf(AppError);
    await expect(late).rejects.toMatchObject({ status: 409, details: { expectedOffset: 0 } });
  });

  it("resumes after a crash mid-way and imports every row once", async () => {
    const owner = await workspace();
    const lines = ["email,first_name,notes"];
    for (let index = 0; index < 2500; index++) lines.push(`p${index}@example.com,P${index},"line one\nline two, ${index}"`);
    const draft = await uploadCsv(database.db, owner, lines.join("\n"), { partSize: 20_000 });
    await queue(owner.workspaceId, draft.id, {
      columns: [
        { index: 0, target: "field", field: "email" },
        { index: 1, target: "field", field: "first_name" },
        { index: 2, target: "attribute", key: "notes", type: "string" },
      ],
      matchKey: "email",
      onExisting: "update",
    });
    await expect(
      runImport(database.db, owner.workspaceId, draft.id, {
        batchSize: 1000,
        afterBatch: () => {
          throw new Error("worker killed");
        },
      }),
    ).rejects.toThrow("worker killed");
    const crashed = (await findImport(database.db, owner.workspaceId, draft.id))!;
    expect(crashed).toMatchObject({ status: "running", processedRows: 1000, createdCount: 1000 });
    // A run whose time slice is used up stops after its batch; the next one goes on from there.
    expect(await runImport(database.db, owner.workspaceId, draft.id, { batchSize: 1000, budgetMs: 0 })).toBe("paused");
    expect(await findImport(database.db, owner.workspaceId, draft.id)).toMatchObject({ processedRows: 2000, createdCount: 2000 });

    expect(await runImport(database.db, owner.workspaceId, draft.id, { batchSize: 1000 })).toBe("done");
    const done = (await findImport(database.db, owner.workspaceId, draft.id))!;
    expect(done).toMatchObject({ status: "done", processedRows: 2500, createdCount: 2500, updatedCount: 0, unchangedCount: 0 });
    const people = await database.db.select().from(contacts).where(eq(contacts.workspaceId, owner.workspaceId));
    expect(people).toHaveLength(2500);
    expect(people.find((person) => person.email === "p1234@example.com")?.attributes).toEqual({ notes: "line one\nline two, 1234" });
    // A stale runner of the same import finds nothing left to do.
    expect(await runImport(database.db, owner.workspaceId, draft.id)).toBe("not_runnable");
  });

  it("streams a 50,000-row file through in batches", async () => {
    const owner = await workspace();
    const lines = ["Email,First name,Last name,Tags,Score"];
    for (let index = 0; index < 50_000; index++) {
      lines.push(`user${index}@example.com,First${index},"Last, ${index}",${index % 2 ? "odd" : "even;round"},${index % 100}`);
    }
    const done = await importFile(owner, lines.join("\r\n") + "\r\n", {}, { partSize: 1024 * 1024 });
    expect(done).toMatchObject({ status: "done", totalRows: 50_000, createdCount: 50_000, errorCount: 0 });
    const [counted] = await database.db
      .select({ chunks: imports.chunkCount })
      .from(imports)
      .where(and(eq(imports.workspaceId, owner.workspaceId), eq(imports.id, done.id)));
    expect(counted.chunks).toBeGreaterThan(2);
    const people = await database.db
      .select({ email: contacts.email, tags: contacts.tags, attributes: contacts.attributes })
      .from(contacts)
      .where(and(eq(contacts.workspaceId, owner.workspaceId), eq(contacts.email, "user49999@example.com")));
    expect(people).toEqual([{ email: "user49999@example.com", tags: ["odd"], attributes: { score: 99 } }]);
  });
});

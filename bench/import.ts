// npm run bench:import — CSV import speed: a generated 100k-row file imported by the job's own
// code (lib/imports/run.ts, what `import.csv` runs) into embedded PGlite, and into Postgres when
// BENCH_DATABASE_URL is set. Baseline, measured in the same run on the same database: plain
// multi-row INSERTs of the same rows into contacts (1,000 a statement, no look-ups, no
// identities, no parsing). Also times the upload (streaming into stored chunks) and a second
// import of the same file (every row found and left unchanged).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import Papa from "papaparse";
import postgres from "postgres";
import { openDatabase, type Database } from "@/db/client";
import { contacts, imports, users } from "@/db/schema";
import type { ImportSettings } from "@/lib/imports/mapping";
import { runImport } from "@/lib/imports/run";
import { appendPart, createImport } from "@/lib/imports/upload";
import { uploadPartBytes } from "@/lib/imports/limits";
import { createWorkspace } from "@/lib/workspaces/create";

const rowCount = Number(process.env.BENCH_ROWS || 100_000);
const postgresUrl = process.env.BENCH_DATABASE_URL;

function generate(count: number): string {
  const lines = ["email,first_name,last_name,phone,tags,plan,seats"];
  const plans = ["free", "pro", "enterprise"];
  for (let index = 0; index < count; index++) {
    lines.push(
      `person${index}@example.com,First${index},"Last, ${index}",+86 138 ${String(index).padStart(8, "0")},${index % 3 ? "newsletter" : "vip;newsletter"},${plans[index % 3]},${index % 50}`,
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

const settings: ImportSettings = {
  columns: [
    { index: 0, target: "field", field: "email" },
    { index: 1, target: "field", field: "first_name" },
    { index: 2, target: "field", field: "last_name" },
    { index: 3, target: "field", field: "phone" },
    { index: 4, target: "tags" },
    { index: 5, target: "attribute", key: "plan", type: "string" },
    { index: 6, target: "attribute", key: "seats", type: "number" },
  ],
  matchKey: "email",
  onExisting: "update",
};

async function upload(database: Database, workspaceId: string, userId: string, bytes: Uint8Array) {
  const created = await createImport(database.db, { workspaceId, userId, fileName: "bench.csv", sizeBytes: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += uploadPartBytes) {
    const part = bytes.slice(offset, offset + uploadPartBytes);
    await appendPart(database.db, {
      workspaceId,
      importId: created.id,
      offset,
      last: offset + uploadPartBytes >= bytes.length,
      body: new Blob([part]).stream(),
    });
  }
  // Queued by hand: the bench measures the job's work, not pg-boss's pick-up.
  await database.db
    .update(imports)
    .set({ status: "queued", mapping: settings, matchKey: settings.matchKey, onExisting: settings.onExisting })
    .where(and(eq(imports.workspaceId, workspaceId), eq(imports.id, created.id)));
  return created.id;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

const perSecond = (rows: number, ms: number) => Math.round(rows / (ms / 1000));

async function bench(kind: "embedded" | "postgres", csv: string, parsed: string[][]) {
  let drop = async () => {};
  let database: Database;
  if (kind === "postgres") {
    const name = `tideline_bench_import_${process.pid}`;
    const admin = postgres(postgresUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(postgresUrl!);
    url.pathname = `/${name}`;
    database = await openDatabase({ url: url.toString() });
    drop = async () => {
      const again = postgres(postgresUrl!, { max: 1, onnotice: () => {} });
      await again.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tideline-bench-import-"));
    database = await openDatabase({ dataDir: dir });
    const previous = drop;
    drop = async () => {
      await previous();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  try {
    const [user] = await database.db.insert(users).values({ email: `bench-${kind}@example.test` }).returning();
    const target = await createWorkspace(database.db, { name: "Import bench", ownerId: user.id });
    const baseline = await createWorkspace(database.db, { name: "Insert baseline", ownerId: user.id });
    const bytes = new TextEncoder().encode(csv);

    const uploaded = await timed(() => upload(database, target.workspace.id, user.id, bytes));
    const first = await timed(() => runImport(database.db, target.workspace.id, uploaded.value));
    const again = await upload(database, target.workspace.id, user.id, bytes);
    const second = await timed(() => runImport(database.db, target.workspace.id, again));
    const [summary] = await database.db.select().from(imports).where(eq(imports.id, again));
    if (first.value !== "done" || second.value !== "done" || summary.unchangedCount !== rowCount) {
      throw new Error(`unexpected result: ${first.value}/${second.value}, unchanged ${summary.unchangedCount}`);
    }

    const inserted = await timed(async () => {
      for (let start = 0; start < parsed.length; start += 1000) {
        await database.db.insert(contacts).values(
          parsed.slice(start, start + 1000).map((cells) => ({
            workspaceId: baseline.workspace.id,
            email: cells[0],
            firstName: cells[1],
            lastName: cells[2],
            phone: cells[3],
            tags: cells[4].split(";").sort(),
            attributes: { plan: cells[5], seats: Number(cells[6]) },
          })),
        );
      }
    });

    const importRate = perSecond(rowCount, first.ms);
    const insertRate = perSecond(rowCount, inserted.ms);
    console.log(
      `${kind.padEnd(8)} upload ${(bytes.length / 1024 / 1024).toFixed(1)} MB ${Math.round(uploaded.ms)} ms | ` +
        `import ${importRate} rows/s (${(first.ms / 1000).toFixed(1)} s) | ` +
        `re-import, all unchanged ${perSecond(rowCount, second.ms)} rows/s | ` +
        `baseline multi-row INSERT ${insertRate} rows/s | import/baseline ${(importRate / insertRate).toFixed(2)}x`,
    );
  } finally {
    await database.close();
    await drop();
  }
}

async function main() {
  const csv = generate(rowCount);
  const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data.slice(1);
  console.log(`CSV import of ${rowCount} generated rows (${(csv.length / 1024 / 1024).toFixed(1)} MB), batches of 1,000`);
  if (postgresUrl) await bench("postgres", csv, parsed);
  else console.log("postgres skipped: set BENCH_DATABASE_URL to also measure a Postgres server");
  await bench("embedded", csv, parsed);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

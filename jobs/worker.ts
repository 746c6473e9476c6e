import { getDatabase } from "../db/client";
import { closeSmtpPools } from "../lib/channels/smtp";
import { createBoss, ensureQueues, setBoss } from "./boss";
import { jobs } from "./registry";
import { startWorkers } from "./run";

/** Starts every registered job's worker in this process; resolves to a stop function. */
export async function startWorkerProcess(): Promise<() => Promise<void>> {
  const database = await getDatabase();
  const boss = await createBoss(database, { maintenance: true });
  setBoss(boss);
  await ensureQueues(boss, jobs);
  await startWorkers(boss, database, jobs);
  return async () => {
    await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    closeSmtpPools();
    await database.close();
  };
}

// `npm run worker`: a separate process (any number of them) against DATABASE_URL.
if (process.argv[1]?.endsWith("jobs/worker.ts")) {
  if (!process.env.DATABASE_URL) {
    console.error(
      "npm run worker needs DATABASE_URL. With the embedded database the workers run inside the app (npm run dev / npm start).",
    );
    process.exit(1);
  }
  const starting = startWorkerProcess();
  // Listening from the first moment: a SIGTERM during start-up stops cleanly once started.
  const shutdown = () =>
    starting
      .then((stop) => stop())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  starting
    .then(() => console.log(`Tideline worker running ${jobs.length} queue(s): ${jobs.map((job) => job.name).join(", ")}`))
    .catch((error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}

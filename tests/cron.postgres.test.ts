import { describe, vi } from "vitest";

// Runs only when TEST_DATABASE_URL is set: the process-wide database is that server.
vi.hoisted(() => {
  if (process.env.TEST_DATABASE_URL) process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
});

import { cronSuite } from "./helpers/cron-suite";

// Without a Postgres server to test on, this file is reported as skipped, with the reason.
describe.skipIf(!process.env.TEST_DATABASE_URL)("cron route on Postgres (needs TEST_DATABASE_URL)", () => cronSuite("postgres"));

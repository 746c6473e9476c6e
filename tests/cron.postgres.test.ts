import { describe, it, vi } from "vitest";

// Runs only when TEST_DATABASE_URL is set: the process-wide database is that server.
vi.hoisted(() => {
  if (process.env.TEST_DATABASE_URL) process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
});

import { cronSuite } from "./helpers/cron-suite";

if (process.env.TEST_DATABASE_URL) cronSuite("postgres");
else describe.skip("cron route on postgres (set TEST_DATABASE_URL)", () => it("runs on Postgres", () => {}));

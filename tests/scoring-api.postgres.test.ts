import { describe, vi } from "vitest";

// The routes open the process-wide database themselves (getDb), so it is pointed at the test
// Postgres server before anything can open it. Runs only when TEST_DATABASE_URL is set.
vi.hoisted(() => {
  if (process.env.TEST_DATABASE_URL) process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
});

import { scoringApiSuite } from "./helpers/scoring-api-suite";

// Without a Postgres server to test on, this file is reported as skipped, with the reason.
describe.skipIf(!process.env.TEST_DATABASE_URL)("lead scoring REST API on Postgres (needs TEST_DATABASE_URL)", () => scoringApiSuite("postgres"));

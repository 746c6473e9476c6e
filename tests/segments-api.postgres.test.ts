import { describe, it, vi } from "vitest";

// The routes open the process-wide database themselves (getDb), so it is pointed at the test
// Postgres server before anything can open it. Runs only when TEST_DATABASE_URL is set.
vi.hoisted(() => {
  if (process.env.TEST_DATABASE_URL) process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
});

import { segmentsApiSuite } from "./helpers/segments-api-suite";

if (process.env.TEST_DATABASE_URL) segmentsApiSuite("postgres");
else describe.skip("segments REST API on postgres (set TEST_DATABASE_URL)", () => it("runs on Postgres", () => {}));

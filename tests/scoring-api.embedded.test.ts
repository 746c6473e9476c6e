import fs from "node:fs";
import { afterAll, vi } from "vitest";

// The routes open the process-wide database themselves (getDb), so it is pointed at a fresh
// embedded data directory before anything can open it.
const dataDir = vi.hoisted(() => {
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = `${process.env.TMPDIR || "/tmp"}/tideline-scoring-api-${process.pid}-${Date.now()}`;
  return process.env.DATA_DIR;
});

import { scoringApiSuite } from "./helpers/scoring-api-suite";

scoringApiSuite("embedded");

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

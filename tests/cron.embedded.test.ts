import fs from "node:fs";
import { afterAll, vi } from "vitest";

// The cron route opens the process-wide database and pg-boss itself, so the process is
// pointed at a fresh embedded data directory before anything opens them.
const dataDir = vi.hoisted(() => {
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = `${process.env.TMPDIR || "/tmp"}/tideline-cron-${process.pid}-${Date.now()}`;
  return process.env.DATA_DIR;
});

import { cronSuite } from "./helpers/cron-suite";

cronSuite("embedded");

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

import path from "node:path";
import { defineConfig } from "vitest/config";
import SlowFirstSequencer from "./tests/sequencer";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", ".next-*/**", ".data/**", "tmp/**"],
    testTimeout: 60_000,
    // Browser and job tests wait for work done by other processes; on a busy 2-core machine
    // that can take seconds, so polling gives up late (a test never asserts how long it took).
    expect: { poll: { timeout: 20_000, interval: 100 } },
    hookTimeout: 120_000,
    maxWorkers: 2,
    globalSetup: ["tests/global-setup.ts"],
    sequence: { sequencer: SlowFirstSequencer },
    // next-auth's ESM imports `next/server` without an extension, which Node cannot resolve
    // (next has no exports map); letting Vite transform next-auth resolves it.
    server: { deps: { inline: ["next-auth"] } },
  },
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "@/db/client";

declare module "vitest" {
  export interface ProvidedContext {
    /** An embedded data directory with every migration applied, copied for each test database. */
    embeddedTemplate: string;
  }
}

// Says up front which databases this run covers, so a run without Postgres is never mistaken
// for one with it. Then migrates one embedded database: a new PGlite directory costs seconds
// (initdb, then the migrations) where a copy of a migrated one costs a fraction of a second,
// and some forty test files and apps each start on a new one.
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  console.log(
    url
      ? `[tideline tests] databases: embedded PGlite and Postgres (${url.replace(/\/\/[^@]*@/, "//")})`
      : "[tideline tests] databases: embedded PGlite only (set TEST_DATABASE_URL to also run on Postgres)",
  );
  const template = fs.mkdtempSync(path.join(os.tmpdir(), "tideline-template-"));
  const database = await openDatabase({ dataDir: template });
  await database.close();
  project.provide("embeddedTemplate", template);
  return () => fs.rmSync(template, { recursive: true, force: true });
}

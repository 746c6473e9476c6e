import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openDatabase, type Db } from "@/db/client";
import { authenticateApiKey, listApiKeys } from "@/db/queries/api-keys";
import { uniqueEmail } from "./helpers/accounts";
import { databaseKinds, postgresUrl, tempDir } from "./helpers/database";
import { runTsx, type Finished } from "./helpers/spawn";

interface SetupOutput {
  workspaceId: string;
  writeKey: string;
  secretKey: string;
}

/** stdout must be exactly one line of JSON, so scripts can pipe it into jq. */
function jsonLine(result: Finished): Record<string, string> {
  expect(result.stderr).not.toMatch(/error/i);
  expect(result.code).toBe(0);
  expect(result.stdout.endsWith("\n")).toBe(true);
  const lines = result.stdout.split("\n").filter((line) => line !== "");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]) as Record<string, string>;
}

function refused(result: Finished) {
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  expect(result.stdout).toBe("");
  expect(result.stderr.trim().length).toBeGreaterThan(0);
  expect(result.stderr).not.toMatch(/^\s+at /m); // a message, not a stack trace
}

describe.each(databaseKinds)("npm run cli on %s", (kind) => {
  // Embedded: one data directory for the whole block, which the CLI opens and closes per call,
  // so this process only opens it between calls.
  const dataDir = kind === "embedded" ? tempDir("tideline-cli-") : undefined;
  const env = kind === "embedded" ? { DATABASE_URL: undefined, DATA_DIR: dataDir } : { DATABASE_URL: postgresUrl };
  const cli = (...args: string[]) => runTsx("scripts/cli.ts", args, env);

  async function withDb<T>(run: (db: Db) => Promise<T>): Promise<T> {
    const database = await openDatabase(kind === "embedded" ? { dataDir } : { url: postgresUrl });
    try {
      return await run(database.db);
    } finally {
      await database.close();
    }
  }

  async function secretKeyWorkspace(token: string) {
    return withDb(async (db) => (await authenticateApiKey(db, { token, kind: "secret" }))?.workspace);
  }

  const email = uniqueEmail("cli");
  const password = "cli-password-1";
  let first: SetupOutput;

  it("setup prints one JSON line with the workspace id, a write key and a working secret key", async () => {
    const output = jsonLine(await cli("setup", "--email", email, "--password", password, "--workspace", "CLI Co"));
    expect(Object.keys(output).sort()).toEqual(["secretKey", "workspaceId", "writeKey"]);
    expect(output.workspaceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(output.writeKey).toMatch(/^wk_/);
    expect(output.secretKey).toMatch(/^sk_/);
    first = output as unknown as SetupOutput;

    const workspace = await secretKeyWorkspace(first.secretKey);
    expect(workspace).toMatchObject({ id: first.workspaceId, name: "CLI Co" });
  });

  it("setup again reuses the workspace and prints a new secret key; both keys work", async () => {
    const again = jsonLine(await cli("setup", "--email", email, "--password", password, "--workspace", "CLI Co"));
    expect(again.workspaceId).toBe(first.workspaceId);
    expect(again.writeKey).toBe(first.writeKey);
    expect(again.secretKey).toMatch(/^sk_/);
    expect(again.secretKey).not.toBe(first.secretKey);
    expect((await secretKeyWorkspace(again.secretKey))?.id).toBe(first.workspaceId);
    expect((await secretKeyWorkspace(first.secretKey))?.id).toBe(first.workspaceId);
  });

  it("keys create prints a new secret key for the workspace", async () => {
    const output = jsonLine(await cli("keys", "create", "--workspace", first.workspaceId, "--name", "Deploy"));
    expect(output.workspaceId).toBe(first.workspaceId);
    expect(output.secretKey).toMatch(/^sk_/);
    expect(output.secretKey).not.toBe(first.secretKey);
    expect((await secretKeyWorkspace(output.secretKey))?.id).toBe(first.workspaceId);
  });

  it("refuses an invalid email, naming the flag", async () => {
    const result = await cli("setup", "--email", "not-an-email", "--password", password, "--workspace", "X");
    refused(result);
    expect(result.stderr).toContain("--email");
  });

  it("refuses a too-short password and a missing workspace name, naming the flag", async () => {
    const short = await cli("setup", "--email", uniqueEmail("cli-short"), "--password", "short", "--workspace", "X");
    refused(short);
    expect(short.stderr).toContain("--password");

    const noWorkspace = await cli("setup", "--email", uniqueEmail("cli-nows"), "--password", password);
    refused(noWorkspace);
    expect(noWorkspace.stderr).toContain("--workspace");
  });

  it("refuses the wrong password for an existing email and issues no key", async () => {
    const secretKeys = () =>
      withDb(async (db) =>
        (await listApiKeys(db, first.workspaceId)).filter((key) => key.kind === "secret").length,
      );
    const before = await secretKeys();
    const result = await cli("setup", "--email", email, "--password", "not-the-password", "--workspace", "CLI Co");
    refused(result);
    expect(result.stderr).toMatch(/password/i);
    expect(result.stderr).not.toContain("not-the-password");
    expect(await secretKeys()).toBe(before);
  });

  it("refuses keys create for an unknown workspace id", async () => {
    const unknown = randomUUID();
    const result = await cli("keys", "create", "--workspace", unknown);
    refused(result);
    expect(result.stderr).toContain(unknown);

    const malformed = await cli("keys", "create", "--workspace", "nope");
    refused(malformed);
    expect(malformed.stderr).toContain("nope");

    const missing = await cli("keys", "create");
    refused(missing);
    expect(missing.stderr).toContain("--workspace");
  });

  it("refuses an unknown command with the usage", async () => {
    const result = await cli("frobnicate");
    refused(result);
    expect(result.stderr).toContain("frobnicate");
    expect(result.stderr).toContain("setup");
  });
});

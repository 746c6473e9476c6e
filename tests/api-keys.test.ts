import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from "@/db/queries/api-keys";
import { apiKeys } from "@/db/schema";
import { sha256 } from "@/lib/auth/tokens";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

// The route wrappers (withSecretKey, withWriteKey) are tested in api-wrappers.*.test.ts,
// against the process-wide database they open themselves.
describe.each(databaseKinds)("API keys on %s", (kind) => {
  let database: Database;
  let db: Db;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => {
    await database?.close();
  });

  it("store a secret key only as a sha256 hash: the token is shown once and is nowhere in the row", async () => {
    const { owner, workspace } = await createOwnedWorkspace(db, "Keys");
    const { key, token } = await createApiKey(db, {
      workspaceId: workspace.id,
      kind: "secret",
      name: "Server",
      createdBy: owner.id,
    });
    expect(token).toMatch(/^sk_[A-Za-z0-9_-]{40,}$/);

    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row.tokenHash).toBe(sha256(token));
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.publicToken).toBeNull();
    const secretPart = token.slice("sk_".length);
    for (const value of Object.values(row)) {
      const text = value instanceof Date ? value.toISOString() : String(value);
      expect(text).not.toContain(token);
      expect(text).not.toContain(secretPart.slice(0, 16));
    }
    expect(row.prefix.startsWith("sk_")).toBe(true);

    const listed = await listApiKeys(db, workspace.id);
    expect(JSON.stringify(listed)).not.toContain(secretPart.slice(0, 16));
  });

  it("keep a write key showable (it is public), still authenticated by hash", async () => {
    const { workspace, writeKey } = await createOwnedWorkspace(db, "Site");
    expect(writeKey).toMatch(/^wk_/);
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.workspaceId, workspace.id));
    expect(row).toMatchObject({ kind: "write", publicToken: writeKey, tokenHash: sha256(writeKey) });
  });

  it("authenticate a key for its own workspace and kind only", async () => {
    const a = await createOwnedWorkspace(db, "A");
    const b = await createOwnedWorkspace(db, "B");
    const { token: secretA } = await createApiKey(db, { workspaceId: a.workspace.id, kind: "secret", name: "A" });
    const { token: secretB } = await createApiKey(db, { workspaceId: b.workspace.id, kind: "secret", name: "B" });

    expect((await authenticateApiKey(db, { token: secretA, kind: "secret" }))?.workspace.id).toBe(a.workspace.id);
    expect((await authenticateApiKey(db, { token: secretB, kind: "secret" }))?.workspace.id).toBe(b.workspace.id);
    expect((await authenticateApiKey(db, { token: a.writeKey, kind: "write" }))?.workspace.id).toBe(a.workspace.id);

    expect(await authenticateApiKey(db, { token: secretA, kind: "write" })).toBeUndefined();
    expect(await authenticateApiKey(db, { token: a.writeKey, kind: "secret" })).toBeUndefined();
    expect(await authenticateApiKey(db, { token: "sk_unknown", kind: "secret" })).toBeUndefined();
    expect(await authenticateApiKey(db, { token: `${secretA}x`, kind: "secret" })).toBeUndefined();
  });

  it("revoke a key once, only from its own workspace, and list it as revoked", async () => {
    const a = await createOwnedWorkspace(db, "Owner of key");
    const b = await createOwnedWorkspace(db, "Someone else");
    const { key, token } = await createApiKey(db, { workspaceId: a.workspace.id, kind: "secret", name: "Old" });

    expect(await revokeApiKey(db, { workspaceId: b.workspace.id, keyId: key.id })).toBeUndefined();
    expect((await authenticateApiKey(db, { token, kind: "secret" }))?.key.revokedAt).toBeNull();

    const revoked = await revokeApiKey(db, { workspaceId: a.workspace.id, keyId: key.id });
    expect(revoked?.revokedAt).toBeInstanceOf(Date);
    expect(await revokeApiKey(db, { workspaceId: a.workspace.id, keyId: key.id })).toBeUndefined();

    // Still found, marked revoked: the route wrappers turn that into a 401 that says so.
    expect((await authenticateApiKey(db, { token, kind: "secret" }))?.key.revokedAt).toBeInstanceOf(Date);

    const listed = await listApiKeys(db, a.workspace.id);
    expect(listed.find((item) => item.id === key.id)?.revokedAt).toBeInstanceOf(Date);
    expect((await listApiKeys(db, b.workspace.id)).some((item) => item.id === key.id)).toBe(false);
  });
});

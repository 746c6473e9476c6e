import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { openDatabase, type Database, type Db } from "@/db/client";
import { authenticateApiKey } from "@/db/queries/api-keys";
import {
  acceptInvite,
  createInvite,
  findInviteByToken,
  inviteProblem,
  listOpenInvites,
  revokeInvite,
} from "@/db/queries/invites";
import { countUsers, findUserByEmail } from "@/db/queries/users";
import { countOwners, findMembership, listMembers, removeMember, setMemberRole } from "@/db/queries/workspaces";
import { apiKeys, invites, members, users, workspaces, type Role } from "@/db/schema";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { assignableRoles, hasRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { ensureOwnerWorkspace, setupFirstOwner } from "@/lib/workspaces/create";
import { createOwnedWorkspace, createUser, uniqueEmail } from "./helpers/accounts";
import { createFreshPostgres, databaseKinds, openTestDatabase, tempDir } from "./helpers/database";

async function rowCounts(db: Db) {
  const count = async (table: typeof users | typeof workspaces | typeof members | typeof apiKeys) => {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(table);
    return Number(row.n);
  };
  return {
    users: await count(users),
    workspaces: await count(workspaces),
    members: await count(members),
    apiKeys: await count(apiKeys),
  };
}

/** Rejects with an AppError of this code (and nothing else). */
async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe("roles", () => {
  it("rank owner > admin > marketer > viewer", () => {
    expect(hasRole("owner", "admin")).toBe(true);
    expect(hasRole("admin", "admin")).toBe(true);
    expect(hasRole("marketer", "viewer")).toBe(true);
    expect(hasRole("viewer", "viewer")).toBe(true);
    expect(hasRole("viewer", "marketer")).toBe(false);
    expect(hasRole("marketer", "admin")).toBe(false);
    expect(hasRole("admin", "owner")).toBe(false);
  });

  it("let a member hand out roles up to their own, never above", () => {
    const sorted = (list: Role[]) => [...list].sort();
    expect(sorted(assignableRoles("owner"))).toEqual(sorted(["owner", "admin", "marketer", "viewer"]));
    expect(sorted(assignableRoles("admin"))).toEqual(sorted(["admin", "marketer", "viewer"]));
    expect(sorted(assignableRoles("marketer"))).toEqual(sorted(["marketer", "viewer"]));
    expect(assignableRoles("viewer")).toEqual(["viewer"]);
  });
});

describe("passwords", () => {
  it("are hashed with argon2id and verified against the hash", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash.startsWith("$argon2id$")).toBe(true);
    expect(hash).not.toContain("correct horse battery");
    expect(await hashPassword("correct horse battery")).not.toBe(hash); // salted
    expect(await verifyPassword(hash, "correct horse battery")).toBe(true);
    expect(await verifyPassword(hash, "correct horse battery ")).toBe(false);
    expect(await verifyPassword(hash, "")).toBe(false);
    expect(await verifyPassword("not-a-hash", "correct horse battery")).toBe(false);
  });
});

describe.each(databaseKinds)("first-run setup on %s", (kind) => {
  const drops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  // Setup only works on an empty users table, so each test gets a database of its own.
  async function emptyDatabase(): Promise<Database> {
    if (kind === "embedded") return openDatabase({ dataDir: tempDir() });
    const fresh = await createFreshPostgres();
    drops.push(fresh.drop);
    return openDatabase({ url: fresh.url });
  }

  it("creates the owner, the workspace, the owner membership and a write key", async () => {
    const database = await emptyDatabase();
    try {
      const { db } = database;
      const result = await setupFirstOwner(db, {
        email: "Founder@Example.test",
        password: "s3cret-passphrase",
        name: "Ada",
        workspaceName: "Acme Marketing",
        timezone: "Europe/Paris",
      });

      expect(result.workspace).toMatchObject({ name: "Acme Marketing", slug: "acme-marketing", timezone: "Europe/Paris" });
      expect(await findUserByEmail(db, "founder@example.test")).toMatchObject({ id: result.user.id, name: "Ada" });
      expect(await findMembership(db, { userId: result.user.id, workspaceId: result.workspace.id })).toMatchObject({
        role: "owner",
      });
      expect(result.writeKey).toMatch(/^wk_/);
      const write = await authenticateApiKey(db, { token: result.writeKey, kind: "write" });
      expect(write?.workspace.id).toBe(result.workspace.id);
      expect(await rowCounts(db)).toEqual({ users: 1, workspaces: 1, members: 1, apiKeys: 1 });

      // Only an argon2id hash is stored; the password appears nowhere in the row.
      const [stored] = await db.select().from(users).where(eq(users.id, result.user.id));
      expect(stored.passwordHash?.startsWith("$argon2id$")).toBe(true);
      expect(JSON.stringify(stored)).not.toContain("s3cret-passphrase");
      expect(await verifyPassword(stored.passwordHash!, "s3cret-passphrase")).toBe(true);
      expect(await verifyPassword(stored.passwordHash!, "wrong-passphrase")).toBe(false);
    } finally {
      await database.close();
    }
  });

  it("refuses a second setup with `setup_done` and writes nothing", async () => {
    const database = await emptyDatabase();
    try {
      const { db } = database;
      await setupFirstOwner(db, { email: uniqueEmail("first"), password: "password-one", workspaceName: "First" });
      const before = await rowCounts(db);

      const error = await expectAppError(
        setupFirstOwner(db, { email: uniqueEmail("second"), password: "password-two", workspaceName: "Second" }),
        "setup_done",
      );
      expect(error.status).toBe(409);
      expect(await rowCounts(db)).toEqual(before);
    } finally {
      await database.close();
    }
  });

  it("ends two concurrent setups with exactly one user and one workspace", async () => {
    const database = await emptyDatabase();
    try {
      const { db } = database;
      const outcomes = await Promise.allSettled([
        setupFirstOwner(db, { email: uniqueEmail("racer-a"), password: "password-a", workspaceName: "A" }),
        setupFirstOwner(db, { email: uniqueEmail("racer-b"), password: "password-b", workspaceName: "B" }),
      ]);

      const fulfilled = outcomes.filter((outcome) => outcome.status === "fulfilled");
      const rejected = outcomes.filter((outcome) => outcome.status === "rejected");
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
      expect(((rejected[0] as PromiseRejectedResult).reason as AppError).code).toBe("setup_done");
      expect(await countUsers(db)).toBe(1);
      expect(await rowCounts(db)).toEqual({ users: 1, workspaces: 1, members: 1, apiKeys: 1 });
    } finally {
      await database.close();
    }
  });
});

describe.each(databaseKinds)("accounts on %s", (kind) => {
  let database: Database;
  let db: Db;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => {
    await database?.close();
  });

  describe("ensureOwnerWorkspace (the CLI's setup)", () => {
    it("reuses the owner's workspace on a second call and issues a new secret key each time", async () => {
      const input = { email: uniqueEmail("operator"), password: "operator-pass", workspaceName: "Ops" };
      const first = await ensureOwnerWorkspace(db, input);
      const second = await ensureOwnerWorkspace(db, { ...input, email: input.email.toUpperCase() });

      expect(second.user.id).toBe(first.user.id);
      expect(second.workspace.id).toBe(first.workspace.id);
      expect(second.writeKey).toBe(first.writeKey);
      expect(first.secretKey).toMatch(/^sk_/);
      expect(second.secretKey).toMatch(/^sk_/);
      expect(second.secretKey).not.toBe(first.secretKey);
      for (const token of [first.secretKey, second.secretKey]) {
        const found = await authenticateApiKey(db, { token, kind: "secret" });
        expect(found?.workspace.id).toBe(first.workspace.id);
      }
      const owned = await db.select().from(members).where(eq(members.userId, first.user.id));
      expect(owned).toHaveLength(1);
      expect(owned[0].role).toBe("owner");

      const [stored] = await db.select().from(users).where(eq(users.id, first.user.id));
      expect(stored.passwordHash?.startsWith("$argon2id$")).toBe(true);
      expect(JSON.stringify(stored)).not.toContain("operator-pass");
    });

    it("refuses an existing email with the wrong password (`wrong_password`) and issues no key", async () => {
      const input = { email: uniqueEmail("guarded"), password: "right-password", workspaceName: "Guarded" };
      const { workspace } = await ensureOwnerWorkspace(db, input);
      const keysBefore = await db.select().from(apiKeys).where(eq(apiKeys.workspaceId, workspace.id));

      const error = await expectAppError(ensureOwnerWorkspace(db, { ...input, password: "wrong-password" }), "wrong_password");
      expect(error.status).toBe(401);
      expect(await db.select().from(apiKeys).where(eq(apiKeys.workspaceId, workspace.id))).toHaveLength(keysBefore.length);
    });

    it("refuses a user who has no password (signed up through OAuth)", async () => {
      const user = await createUser(db, "oauth");
      await expectAppError(
        ensureOwnerWorkspace(db, { email: user.email, password: "anything-at-all", workspaceName: "Nope" }),
        "wrong_password",
      );
    });
  });

  describe("invites", () => {
    it("make the accepting user a member with the invite's role, once", async () => {
      const { owner, workspace } = await createOwnedWorkspace(db, "Invites");
      const { invite, token } = await createInvite(db, { workspaceId: workspace.id, role: "marketer", createdBy: owner.id });
      expect(token).toMatch(/^inv_/);
      expect(JSON.stringify(invite)).not.toContain(token);
      expect(inviteProblem((await findInviteByToken(db, token))?.invite)).toBeNull();
      expect((await listOpenInvites(db, workspace.id)).map((open) => open.id)).toEqual([invite.id]);

      const joiner = await createUser(db, "joiner");
      const joined = await acceptInvite(db, { token, userId: joiner.id });
      expect(joined?.id).toBe(workspace.id);
      expect(await findMembership(db, { userId: joiner.id, workspaceId: workspace.id })).toMatchObject({ role: "marketer" });

      // The same link a second time, by anyone, does nothing.
      const latecomer = await createUser(db, "latecomer");
      expect(await acceptInvite(db, { token, userId: latecomer.id })).toBeUndefined();
      expect(await acceptInvite(db, { token, userId: joiner.id })).toBeUndefined();
      expect(await findMembership(db, { userId: latecomer.id, workspaceId: workspace.id })).toBeUndefined();
      expect(inviteProblem((await findInviteByToken(db, token))?.invite)).toBe("used");
      expect(await listOpenInvites(db, workspace.id)).toEqual([]);
    });

    it("let only one of two people accepting the same link at once in", async () => {
      const { owner, workspace } = await createOwnedWorkspace(db, "Race");
      const { token } = await createInvite(db, { workspaceId: workspace.id, role: "viewer", createdBy: owner.id });
      const [a, b] = [await createUser(db, "racer"), await createUser(db, "racer")];

      const results = await Promise.all([
        acceptInvite(db, { token, userId: a.id }),
        acceptInvite(db, { token, userId: b.id }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await listMembers(db, workspace.id)).map((member) => member.role).sort()).toEqual(["owner", "viewer"]);
    });

    it("cannot be accepted once expired", async () => {
      const { owner, workspace } = await createOwnedWorkspace(db, "Expired");
      const { invite, token } = await createInvite(db, { workspaceId: workspace.id, role: "admin", createdBy: owner.id });
      await db
        .update(invites)
        .set({ expiresAt: new Date(Date.now() - 60_000) })
        .where(eq(invites.id, invite.id));

      const user = await createUser(db, "late");
      expect(await acceptInvite(db, { token, userId: user.id })).toBeUndefined();
      expect(await findMembership(db, { userId: user.id, workspaceId: workspace.id })).toBeUndefined();
      expect(inviteProblem((await findInviteByToken(db, token))?.invite)).toBe("expired");
      expect(await listOpenInvites(db, workspace.id)).toEqual([]);
    });

    it("cannot be accepted once revoked, and only the invite's workspace can revoke it", async () => {
      const { owner, workspace } = await createOwnedWorkspace(db, "Revoked");
      const other = await createOwnedWorkspace(db, "Other");
      const { invite, token } = await createInvite(db, { workspaceId: workspace.id, role: "admin", createdBy: owner.id });

      expect(await revokeInvite(db, { workspaceId: other.workspace.id, inviteId: invite.id })).toBeUndefined();
      expect(inviteProblem((await findInviteByToken(db, token))?.invite)).toBeNull();

      expect((await revokeInvite(db, { workspaceId: workspace.id, inviteId: invite.id }))?.revokedAt).toBeInstanceOf(Date);
      const user = await createUser(db, "revoked");
      expect(await acceptInvite(db, { token, userId: user.id })).toBeUndefined();
      expect(await findMembership(db, { userId: user.id, workspaceId: workspace.id })).toBeUndefined();
      expect(inviteProblem((await findInviteByToken(db, token))?.invite)).toBe("revoked");
    });

    it("report an unknown link as unknown", async () => {
      expect(await findInviteByToken(db, "inv_does-not-exist")).toBeUndefined();
      expect(inviteProblem(undefined)).toBe("unknown");
      const user = await createUser(db, "stranger");
      expect(await acceptInvite(db, { token: "inv_does-not-exist", userId: user.id })).toBeUndefined();
    });
  });

  describe("members", () => {
    it("change role and leave only within the workspace named", async () => {
      const a = await createOwnedWorkspace(db, "Alpha");
      const b = await createOwnedWorkspace(db, "Beta");
      const both = await createUser(db, "both");
      await db.insert(members).values([
        { workspaceId: a.workspace.id, userId: both.id, role: "marketer" },
        { workspaceId: b.workspace.id, userId: both.id, role: "marketer" },
      ]);
      expect(await countOwners(db, a.workspace.id)).toBe(1);

      const changed = await setMemberRole(db, { workspaceId: a.workspace.id, userId: both.id, role: "owner" });
      expect(changed).toHaveLength(1);
      expect(await countOwners(db, a.workspace.id)).toBe(2);
      expect(await countOwners(db, b.workspace.id)).toBe(1);
      expect(await findMembership(db, { userId: both.id, workspaceId: b.workspace.id })).toMatchObject({ role: "marketer" });

      // Someone who is not a member of A is not changed by a role change in A.
      const outsider = await createUser(db, "outsider");
      await db.insert(members).values({ workspaceId: b.workspace.id, userId: outsider.id, role: "viewer" });
      expect(await setMemberRole(db, { workspaceId: a.workspace.id, userId: outsider.id, role: "admin" })).toEqual([]);
      expect(await removeMember(db, { workspaceId: a.workspace.id, userId: outsider.id })).toEqual([]);
      expect(await findMembership(db, { userId: outsider.id, workspaceId: b.workspace.id })).toMatchObject({ role: "viewer" });

      expect(await removeMember(db, { workspaceId: a.workspace.id, userId: both.id })).toHaveLength(1);
      expect(await findMembership(db, { userId: both.id, workspaceId: a.workspace.id })).toBeUndefined();
      expect(await findMembership(db, { userId: both.id, workspaceId: b.workspace.id })).toMatchObject({ role: "marketer" });
      expect(await countOwners(db, a.workspace.id)).toBe(1);
      expect((await listMembers(db, a.workspace.id)).map((member) => member.userId)).toEqual([a.owner.id]);
      expect((await listMembers(db, b.workspace.id)).map((member) => member.userId).sort()).toEqual(
        [b.owner.id, both.id, outsider.id].sort(),
      );
    });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDatabase, type Db } from "@/db/client";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { apiKeys } from "@/db/schema";
import { withSecretKey, withWriteKey } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { GET as getWorkspace } from "@/app/api/v1/workspace/route";
import { createOwnedWorkspace } from "./accounts";

const route = { params: Promise.resolve({}) };

function request(
  path: string,
  init: { method?: string; authorization?: string; body?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.authorization) headers.authorization = init.authorization;
  if (init.body !== undefined) headers["content-type"] ??= "application/json";
  return new NextRequest(`http://localhost${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body,
  });
}

const bearer = (token: string) => `Bearer ${token}`;
const basic = (user: string, password = "") => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string; details?: unknown } };
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

/**
 * The route wrappers against the process-wide database (getDb), which the calling test file
 * has pointed at `kind` through DATA_DIR or DATABASE_URL before anything opened it.
 */
export function apiWrapperSuite(kind: "embedded" | "postgres") {
  describe(`route wrappers on ${kind}`, () => {
    let db: Db;
    let seen: Array<{ workspaceId: string; keyId: string; body?: unknown }>;

    // A probe endpoint per wrapper: it reports who it ran for.
    const secretProbe = withSecretKey(async (_request, { workspace, key }) => {
      seen.push({ workspaceId: workspace.id, keyId: key.id });
      return { workspaceId: workspace.id };
    });
    const writeProbe = withWriteKey(async (_request, { workspace, key, body }) => {
      seen.push({ workspaceId: workspace.id, keyId: key.id, body });
    });

    beforeAll(async () => {
      const database = await getDatabase();
      expect(database.kind).toBe(kind);
      db = database.db;
    });
    afterAll(async () => {
      const database = await getDatabase();
      await database.close();
      (globalThis as { tidelineDatabase?: unknown }).tidelineDatabase = undefined;
    });

    beforeEach(() => {
      seen = [];
    });

    describe("withSecretKey", () => {
      it("answers 401 `unauthorized` without an Authorization header, and never runs the handler", async () => {
        const response = await secretProbe(request("/api/v1/probe"), route);
        expect(response.status).toBe(401);
        const error = await errorOf(response);
        expect(error.code).toBe("unauthorized");
        expect(error.message).toContain("Bearer");
        expect(seen).toEqual([]);
      });

      it("answers 401 for an unknown key and for a key sent as Basic auth", async () => {
        const unknown = await secretProbe(request("/api/v1/probe", { authorization: bearer("sk_not-a-real-key") }), route);
        expect(unknown.status).toBe(401);
        expect(await errorOf(unknown)).toMatchObject({ code: "unauthorized", message: expect.stringMatching(/unknown/i) });

        const { workspace } = await createOwnedWorkspace(db, "Basic");
        const { token } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Server" });
        const asBasic = await secretProbe(request("/api/v1/probe", { authorization: basic(token) }), route);
        expect(asBasic.status).toBe(401);
        expect(seen).toEqual([]);
      });

      it("refuses a write key used as a secret key", async () => {
        const { writeKey } = await createOwnedWorkspace(db, "Public key");
        const response = await secretProbe(request("/api/v1/probe", { authorization: bearer(writeKey) }), route);
        expect(response.status).toBe(401);
        expect((await errorOf(response)).code).toBe("unauthorized");
        expect(seen).toEqual([]);
      });

      it("runs the handler for a good key, in that key's workspace, and records its use", async () => {
        const a = await createOwnedWorkspace(db, "Alpha");
        const b = await createOwnedWorkspace(db, "Beta");
        const { key: keyA, token: tokenA } = await createApiKey(db, { workspaceId: a.workspace.id, kind: "secret", name: "A" });
        const { token: tokenB } = await createApiKey(db, { workspaceId: b.workspace.id, kind: "secret", name: "B" });

        const responseA = await secretProbe(request("/api/v1/probe", { authorization: bearer(tokenA) }), route);
        expect(responseA.status).toBe(200);
        expect(await responseA.json()).toEqual({ workspaceId: a.workspace.id });
        const responseB = await secretProbe(request("/api/v1/probe", { authorization: `bearer   ${tokenB}` }), route);
        expect(await responseB.json()).toEqual({ workspaceId: b.workspace.id });
        expect(seen.map((call) => call.workspaceId)).toEqual([a.workspace.id, b.workspace.id]);
        expect(seen[0].keyId).toBe(keyA.id);

        const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, keyA.id));
        expect(row.lastUsedAt).toBeInstanceOf(Date);
      });

      it("refuses a revoked key with 401 saying it was revoked", async () => {
        const { workspace } = await createOwnedWorkspace(db, "Revoked");
        const { key, token } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Old" });
        expect((await secretProbe(request("/api/v1/probe", { authorization: bearer(token) }), route)).status).toBe(200);

        await revokeApiKey(db, { workspaceId: workspace.id, keyId: key.id });
        seen = [];
        const response = await secretProbe(request("/api/v1/probe", { authorization: bearer(token) }), route);
        expect(response.status).toBe(401);
        expect(await errorOf(response)).toMatchObject({ code: "unauthorized", message: expect.stringMatching(/revoked/i) });
        expect(seen).toEqual([]);
      });

      it("maps an AppError thrown by the handler to its status and code", async () => {
        const { workspace } = await createOwnedWorkspace(db, "Errors");
        const { token } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Server" });
        const missing = withSecretKey(async () => {
          throw new AppError("not_found", "No such segment.");
        });
        const response = await missing(request("/api/v1/segments/x", { authorization: bearer(token) }), route);
        expect(response.status).toBe(404);
        expect(await errorOf(response)).toEqual({ code: "not_found", message: "No such segment." });

        const conflicting = withSecretKey(async () => {
          throw new AppError("conflict", "Already exists.", { field: "name" });
        });
        const conflict = await conflicting(request("/api/v1/segments", { authorization: bearer(token), body: "{}" }), route);
        expect(conflict.status).toBe(409);
        expect(await errorOf(conflict)).toEqual({ code: "conflict", message: "Already exists.", details: { field: "name" } });
      });

      it("answers 500 `internal_error` for an unexpected error without leaking its text", async () => {
        const { workspace } = await createOwnedWorkspace(db, "Crash");
        const { token } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Server" });
        const crashing = withSecretKey(async () => {
          throw new Error("connection string postgres://secret@db");
        });
        const logged = vi.spyOn(console, "error").mockImplementation(() => {});
        try {
          const response = await crashing(request("/api/v1/crash", { authorization: bearer(token) }), route);
          expect(response.status).toBe(500);
          const error = await errorOf(response);
          expect(error.code).toBe("internal_error");
          expect(error.message).not.toContain("postgres://");
          expect(logged).toHaveBeenCalled();
        } finally {
          logged.mockRestore();
        }
      });
    });

    describe("withWriteKey", () => {
      it("accepts the write key as the Basic auth user (Segment's way)", async () => {
        const { workspace, writeKey } = await createOwnedWorkspace(db, "Segment SDK");
        const response = await writeProbe(
          request("/api/v1/track", { authorization: basic(writeKey), body: JSON.stringify({ event: "Signed Up" }) }),
          route,
        );
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ success: true });
        expect(seen).toEqual([{ workspaceId: workspace.id, keyId: expect.any(String), body: { event: "Signed Up" } }]);
      });

      it("accepts the write key as `writeKey` in the body", async () => {
        const { workspace, writeKey } = await createOwnedWorkspace(db, "Browser");
        const response = await writeProbe(
          request("/api/v1/page", { body: JSON.stringify({ writeKey, name: "Home" }) }),
          route,
        );
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ success: true });
        expect(seen.map((call) => call.workspaceId)).toEqual([workspace.id]);
      });

      it("answers 401 without a key, with a secret key, or with a revoked write key", async () => {
        const noKey = await writeProbe(request("/api/v1/track", { body: JSON.stringify({ event: "x" }) }), route);
        expect(noKey.status).toBe(401);
        expect((await errorOf(noKey)).code).toBe("unauthorized");

        const { workspace } = await createOwnedWorkspace(db, "Wrong kind");
        const { token: secret } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Server" });
        const secretAsWrite = await writeProbe(
          request("/api/v1/track", { authorization: basic(secret), body: JSON.stringify({ event: "x" }) }),
          route,
        );
        expect(secretAsWrite.status).toBe(401);

        const { key, token: oldWriteKey } = await createApiKey(db, { workspaceId: workspace.id, kind: "write", name: "Old site" });
        await revokeApiKey(db, { workspaceId: workspace.id, keyId: key.id });
        const revoked = await writeProbe(
          request("/api/v1/track", { body: JSON.stringify({ writeKey: oldWriteKey, event: "x" }) }),
          route,
        );
        expect(revoked.status).toBe(401);
        expect((await errorOf(revoked)).message).toMatch(/revoked/i);
        expect(seen).toEqual([]);
      });

      it("answers 400 `invalid_json` for a malformed or empty body", async () => {
        const { writeKey } = await createOwnedWorkspace(db, "Bad JSON");
        const malformed = await writeProbe(
          request("/api/v1/track", { authorization: basic(writeKey), body: '{"event": "Signed Up",' }),
          route,
        );
        expect(malformed.status).toBe(400);
        expect(await errorOf(malformed)).toMatchObject({ code: "invalid_json", message: expect.stringContaining("JSON") });

        const empty = await writeProbe(request("/api/v1/track", { authorization: basic(writeKey), body: "" }), route);
        expect(empty.status).toBe(400);
        expect((await errorOf(empty)).code).toBe("invalid_json");
        expect(seen).toEqual([]);
      });

      it("answers 413 `payload_too_large` for a body over the limit", async () => {
        const { writeKey } = await createOwnedWorkspace(db, "Big");
        const small = withWriteKey(async () => {}, { maxBytes: 1024 });
        const body = JSON.stringify({ writeKey, event: "x", properties: { blob: "a".repeat(2048) } });
        const overCustom = await small(request("/api/v1/track", { body }), route);
        expect(overCustom.status).toBe(413);
        expect((await errorOf(overCustom)).code).toBe("payload_too_large");

        const underCustom = await small(request("/api/v1/track", { body: JSON.stringify({ writeKey }) }), route);
        expect(underCustom.status).toBe(200);

        // The default limit (1 MB), whether or not Content-Length announces it.
        const huge = JSON.stringify({ writeKey, event: "x", properties: { blob: "a".repeat(1024 * 1024) } });
        const overDefault = await writeProbe(request("/api/v1/track", { body: huge }), route);
        expect(overDefault.status).toBe(413);
        expect((await errorOf(overDefault)).code).toBe("payload_too_large");
        const announced = await writeProbe(
          request("/api/v1/track", { body: huge, headers: { "content-length": String(Buffer.byteLength(huge)) } }),
          route,
        );
        expect(announced.status).toBe(413);
        expect(seen).toEqual([]);
      });

      it("answers 422 `validation_failed` with details when the handler's zod parse fails", async () => {
        const { writeKey } = await createOwnedWorkspace(db, "Validation");
        const track = withWriteKey(async (_request, { body }) => {
          z.object({ event: z.string(), userId: z.string() }).parse(body);
        });
        const response = await track(
          request("/api/v1/track", { authorization: basic(writeKey), body: JSON.stringify({ event: 42, userId: "u1" }) }),
          route,
        );
        expect(response.status).toBe(422);
        const error = await errorOf(response);
        expect(error.code).toBe("validation_failed");
        expect(error.message).toContain("event");
        expect(error.details).toEqual([{ path: "event", message: expect.any(String) }]);
      });

      it("maps an AppError thrown by the handler to its status", async () => {
        const { writeKey } = await createOwnedWorkspace(db, "AppError");
        const track = withWriteKey(async () => {
          throw new AppError("bad_request", "Send userId or anonymousId.");
        });
        const response = await track(request("/api/v1/track", { authorization: basic(writeKey), body: "{}" }), route);
        expect(response.status).toBe(400);
        expect(await errorOf(response)).toEqual({ code: "bad_request", message: "Send userId or anonymousId." });
      });
    });

    describe("GET /api/v1/workspace", () => {
      it("returns the workspace of the secret key", async () => {
        const { workspace } = await createOwnedWorkspace(db, "Route Check");
        const { token } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Server" });
        const response = await getWorkspace(request("/api/v1/workspace", { authorization: bearer(token) }), route);
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ id: workspace.id, name: "Route Check", slug: workspace.slug });
      });

      it("answers 401 without a key", async () => {
        const response = await getWorkspace(request("/api/v1/workspace"), route);
        expect(response.status).toBe(401);
        expect((await errorOf(response)).code).toBe("unauthorized");
      });
    });
  });
}

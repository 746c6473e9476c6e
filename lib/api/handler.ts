import type { NextRequest } from "next/server";
import { getDb, type Db } from "@/db/client";
import { authenticateApiKey, touchApiKey } from "@/db/queries/api-keys";
import type { ApiKey, Role, Workspace } from "@/db/schema";
import { checkMembership, type WorkspaceContext } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { errorResponse } from "./errors";
import { nulPath } from "./nul";

type RouteParams = Record<string, string | string[]>;
type RouteContext = { params: Promise<RouteParams> };
type Reply = Response | object | null | void;

export interface KeyContext {
  db: Db;
  workspace: Workspace;
  key: ApiKey;
  params: RouteParams;
}

function reply(result: Reply): Response {
  if (result instanceof Response) return result;
  return Response.json(result ?? { success: true });
}

/** Reads a JSON body of at most `maxBytes`, with a 413 or a 400 that says what is wrong. */
export async function readJson(request: Request, maxBytes = 1024 * 1024, options: { allowNul?: boolean } = {}): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readText(request, maxBytes);
  if (!text.trim()) throw new AppError("invalid_json", "The request body is empty; send a JSON object.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new AppError("invalid_json", `The request body is not valid JSON: ${(error as Error).message}`);
  }
  const nul = options.allowNul ? undefined : nulPath(body);
  if (nul !== undefined) throw new AppError("bad_request", `${nul || "The body"} contains a NUL character (\\u0000) or a broken UTF-16 character, which cannot be stored.`);
  return body;
}

// A body as text, at most `maxBytes` (413 beyond). Counts bytes as they stream in, so a chunked upload without Content-Length is cut off too.
// Gzip bodies (some SDKs compress) are measured after decompression.
export async function readText(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const encoding = request.headers.get("content-encoding")?.toLowerCase();
  let body: ReadableStream<Uint8Array> = request.body;
  if (encoding === "gzip" || encoding === "deflate") {
    body = body.pipeThrough(new DecompressionStream(encoding) as unknown as TransformStream<Uint8Array, Uint8Array>);
  } else if (encoding && encoding !== "identity") {
    throw new AppError("bad_request", `Content-Encoding ${encoding} is not supported; send gzip or no encoding.`);
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw new AppError("bad_request", "The request body could not be decompressed.");
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(maxBytes: number) {
  return new AppError("payload_too_large", `The request body is larger than ${Math.round(maxBytes / 1024)} KB.`);
}

async function authenticate(db: Db, token: string, kind: "write" | "secret") {
  const found = await authenticateApiKey(db, { token, kind });
  if (!found) throw new AppError("unauthorized", `Unknown ${kind} key.`);
  if (found.key.revokedAt) throw new AppError("unauthorized", `This ${kind} key was revoked.`);
  await touchApiKey(db, found.key);
  return found;
}

// REST API: `Authorization: Bearer sk_…`.
export function withSecretKey(handler: (request: NextRequest, context: KeyContext) => Promise<Reply>) {
  return async (request: NextRequest, route: RouteContext) => {
    try {
      const header = request.headers.get("authorization") ?? "";
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new AppError("unauthorized", "Send a secret key as `Authorization: Bearer sk_…`.");
      const db = await getDb();
      const { key, workspace } = await authenticate(db, match[1], "secret");
      return reply(await handler(request, { db, workspace, key, params: await route.params }));
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export interface WriteKeyContext extends KeyContext {
  body: unknown;
}

/** The write key from Basic auth (user part, Segment's way) or a `writeKey` field of the body. */
export function writeKeyFrom(request: Request, body: unknown): string | undefined {
  const header = request.headers.get("authorization") ?? "";
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (basic) {
    const user = Buffer.from(basic[1], "base64").toString("utf8").split(":")[0];
    if (user) return user;
  }
  if (body && typeof body === "object" && "writeKey" in body && typeof body.writeKey === "string") {
    return body.writeKey;
  }
  return undefined;
}

// Tracking calls: a public write key that can do nothing but send data in.
export function withWriteKey(
  handler: (request: NextRequest, context: WriteKeyContext) => Promise<Reply>,
  options: { maxBytes?: number } = {},
) {
  return async (request: NextRequest, route: RouteContext) => {
    try {
      // Tracking calls are checked one by one (a bad batch item must not lose the others).
      const body = await readJson(request, options.maxBytes, { allowNul: true });
      const token = writeKeyFrom(request, body);
      if (!token) throw new AppError("unauthorized", "Send the write key as the Basic auth user or as `writeKey`.");
      const db = await getDb();
      const { key, workspace } = await authenticate(db, token, "write");
      return reply(await handler(request, { db, workspace, key, body, params: await route.params }));
    } catch (error) {
      return errorResponse(error);
    }
  };
}

// Routes the web UI calls: the signed-in member's workspace comes from `?workspace=ID`.
export function withSession(
  atLeast: Role,
  handler: (request: NextRequest, context: WorkspaceContext & { params: RouteParams }) => Promise<Reply>,
) {
  return async (request: NextRequest, route: RouteContext) => {
    try {
      const workspaceId = request.nextUrl.searchParams.get("workspace");
      if (!workspaceId) throw new AppError("bad_request", "Name the workspace with `?workspace=ID`.");
      const check = await checkMembership({ workspaceId }, atLeast);
      if (!check.ok) {
        if (check.reason === "signed_out") throw new AppError("unauthorized", "Sign in first.");
        if (check.reason === "not_member") throw new AppError("not_found", "No such workspace.");
        throw new AppError("forbidden", `This needs the ${atLeast} role; you are ${check.role}.`);
      }
      return reply(await handler(request, { ...check.context, params: await route.params }));
    } catch (error) {
      return errorResponse(error);
    }
  };
}

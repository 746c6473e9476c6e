import { getDb, type Db } from "@/db/client";
import { authenticateApiKey, touchApiKey } from "@/db/queries/api-keys";
import { maxCallBytes, parseCall } from "./calls";
import { ingestCalls } from "./ingest";

// The tracking pixel: `GET /t/p.gif?k=WRITE_KEY&e=Opened&uid=…` records a call where no script
// runs (H5 pages, other systems' emails). It always answers an image, so a page never shows a
// broken one; whether the call was stored is in the status and the X-Tideline-Error header.

/** A 1×1 transparent GIF (43 bytes). */
export const transparentGif = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

const pixelTypes = { track: "track", page: "page", identify: "identify" } as const;
type PixelType = keyof typeof pixelTypes;

export type PixelOutcome = { status: 200; stored: boolean } | { status: 400 | 401 | 500; error: string };

// `p.<key>` and `tr.<key>` become an object; Object.fromEntries keeps a key like `__proto__` as data.
function prefixed(params: URLSearchParams, prefix: string): Record<string, string> {
  const entries = [...params].filter(([key]) => key.startsWith(prefix) && key.length > prefix.length);
  return Object.fromEntries(entries.map(([key, value]) => [key.slice(prefix.length), value]));
}

/** Turns the pixel's query parameters into a raw Segment call (not yet validated). */
export function callFromQuery(params: URLSearchParams): { type: PixelType; raw: Record<string, unknown> } | { reason: string } {
  const type = params.get("t") || "track";
  if (!Object.hasOwn(pixelTypes, type)) return { reason: "t must be track, page or identify" };
  const raw: Record<string, unknown> = {};
  for (const [param, field] of [
    ["uid", "userId"],
    ["aid", "anonymousId"],
    ["mid", "messageId"],
  ] as const) {
    const value = params.get(param);
    if (value) raw[field] = value;
  }
  const name = params.get("e");
  if (type === "track") raw.event = name ?? undefined;
  if (type === "page" && name) raw.name = name;
  if (type === "identify") raw.traits = prefixed(params, "tr.");
  else raw.properties = prefixed(params, "p.");
  return { type: type as PixelType, raw };
}

const paramOf: Record<string, string> = { event: "e", userId: "uid", anonymousId: "aid", messageId: "mid", name: "e" };

// parseCall names the call's fields; a pixel's author wrote query parameters, so both are named.
function inParams(reason: string): string {
  if (reason.startsWith("userId needs")) return "send uid (userId) or aid (anonymousId)";
  return reason.replace(/^(\w+)/, (field) => (paramOf[field] ? `${paramOf[field]} (${field})` : field));
}

function requestContext(request: Request): Record<string, unknown> {
  const context: Record<string, unknown> = { library: { name: "tideline-pixel", version: "1" } };
  const ip = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || request.headers.get("x-real-ip");
  if (ip) context.ip = ip;
  const userAgent = request.headers.get("user-agent");
  if (userAgent) context.userAgent = userAgent;
  return context;
}

/**
 * Validates and stores the call a pixel request describes. With `store: false` (HEAD) it only
 * checks, so a pixel URL can be tested without recording anything.
 */
export async function recordPixel(
  request: Request,
  { store = true, openDb = getDb }: { store?: boolean; openDb?: () => Promise<Db> } = {},
): Promise<PixelOutcome> {
  const params = new URL(request.url).searchParams;
  const writeKey = params.get("k");
  if (!writeKey) return { status: 401, error: "Send the write key as the k parameter." };
  const built = callFromQuery(params);
  if ("reason" in built) return { status: 400, error: `Invalid pixel call: ${built.reason}.` };
  const raw = { ...built.raw, context: requestContext(request) };
  if (Buffer.byteLength(JSON.stringify(raw)) > maxCallBytes) return { status: 400, error: "Invalid pixel call: larger than 32 KB." };
  const parsed = parseCall(built.type, raw);
  if ("reason" in parsed) return { status: 400, error: `Invalid ${built.type} call: ${inParams(parsed.reason)}.` };
  try {
    const db = await openDb();
    const found = await authenticateApiKey(db, { token: writeKey, kind: "write" });
    if (!found) return { status: 401, error: "Unknown write key." };
    if (found.key.revokedAt) return { status: 401, error: "This write key was revoked." };
    if (!store) return { status: 200, stored: false };
    await touchApiKey(db, found.key);
    const { stored } = await ingestCalls(db, found.workspace.id, [parsed.call]);
    return { status: 200, stored: stored > 0 };
  } catch (error) {
    console.error("[pixel]", error);
    return { status: 500, error: "Something went wrong on our side; it has been logged." };
  }
}

// Header values are Latin-1 only; a reason may quote the caller's input.
const headerSafe = (text: string) => text.replace(/[^\x20-\x7e]/g, "?").slice(0, 300);

/** The image reply: never cached (every load is a call), readable by scripts that debug it. */
export function pixelResponse(outcome: PixelOutcome): Response {
  const headers = new Headers({
    "content-type": "image/gif",
    "content-length": String(transparentGif.byteLength),
    "cache-control": "no-store, no-cache, must-revalidate, max-age=0",
    pragma: "no-cache",
    expires: "Thu, 01 Jan 1970 00:00:00 GMT",
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "x-tideline-error",
  });
  if ("error" in outcome) headers.set("x-tideline-error", headerSafe(outcome.error));
  return new Response(new Uint8Array(transparentGif), { status: outcome.status, headers });
}

import type { NextRequest } from "next/server";
import { withWriteKey } from "@/lib/api/handler";
import { errorBody } from "@/lib/api/errors";
import { AppError } from "@/lib/errors";
import { maxBatchBytes, maxCallBytes, parseBatchItem, parseCall, type CallType, type TrackingCall } from "./calls";
import { ingestCalls } from "./ingest";

// Tracking calls come from other sites' pages too (the snippet, sendBeacon).
export const corsHeaders = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "POST, GET, OPTIONS",
  "access-control-allow-headers": "authorization, content-type, content-encoding",
  "access-control-max-age": "86400",
};

export function preflight(): Response {
  return new Response(null, { status: 204, headers: corsHeaders });
}

function withCors(response: Response): Response {
  for (const [name, value] of Object.entries(corsHeaders)) response.headers.set(name, value);
  return response;
}

/** Browsers send an Origin; for their calls the request's IP and user agent fill the context. */
function withRequestContext(request: NextRequest, call: TrackingCall): TrackingCall {
  if (!request.headers.get("origin")) return call;
  const context = { ...(call.context ?? {}) };
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  context.ip ??= forwarded || request.headers.get("x-real-ip") || undefined;
  context.userAgent ??= request.headers.get("user-agent") || undefined;
  return { ...call, context };
}

// POST /api/v1/{identify,track,page,screen,group,alias}: one Segment call
export function singleCallRoute(type: CallType) {
  const handler = withWriteKey(
    async (request, { db, workspace, body }) => {
      const parsed = parseCall(type, body);
      if ("reason" in parsed) throw new AppError("bad_request", `Invalid ${type} call: ${parsed.reason}.`);
      await ingestCalls(db, workspace.id, [withRequestContext(request, parsed.call)]);
      return { success: true };
    },
    { maxBytes: maxCallBytes },
  );
  return async (request: NextRequest, route: { params: Promise<Record<string, string | string[]>> }) =>
    withCors(await handler(request, route));
}

// POST /api/v1/batch: many calls; valid items are stored even when others are rejected
export function batchRoute() {
  const handler = withWriteKey(
    async (request, { db, workspace, body }) => {
      const batch = body && typeof body === "object" ? (body as { batch?: unknown }).batch : undefined;
      if (!Array.isArray(batch)) throw new AppError("bad_request", "The body needs a `batch` array of calls.");
      const calls: TrackingCall[] = [];
      const rejected: Array<{ index: number; reason: string }> = [];
      batch.forEach((item, index) => {
        const parsed = parseBatchItem(mergeBatchContext(item, body as Record<string, unknown>));
        if ("reason" in parsed) rejected.push({ index, reason: parsed.reason });
        else calls.push(withRequestContext(request, parsed.call));
      });
      const result = await ingestCalls(db, workspace.id, calls);
      if (rejected.length > 0) {
        const first = rejected[0];
        const message = `${rejected.length} of ${batch.length} calls rejected (item ${first.index}: ${first.reason}); the other ${calls.length} were accepted.`;
        return Response.json(
          { success: false, accepted: calls.length, ...errorBody("invalid_items", message, rejected) },
          { status: 400 },
        );
      }
      return { success: true, accepted: calls.length, duplicates: result.duplicates };
    },
    { maxBytes: maxBatchBytes },
  );
  return async (request: NextRequest, route: { params: Promise<Record<string, string | string[]>> }) =>
    withCors(await handler(request, route));
}

// Segment's batch may carry a shared `context` (and sentAt) for all its items.
// The item is the parsed body's own object, so it takes the shared fields in place.
function mergeBatchContext(item: unknown, body: Record<string, unknown>): unknown {
  if (!item || typeof item !== "object") return item;
  const call = item as { context?: unknown; sentAt?: unknown };
  if (body.context && typeof body.context === "object" && (call.context === undefined || (call.context && typeof call.context === "object"))) {
    call.context = { ...body.context, ...(call.context ?? {}) };
  }
  if (body.sentAt && !call.sentAt) call.sentAt = body.sentAt;
  return call;
}

import { z } from "zod";
import { nulPath } from "@/lib/api/nul";

// The Segment HTTP Tracking API, leniently: unknown fields are kept out of the way, ids may be
// numbers (as some SDKs send them), and every problem names the field.

// Each field is one zod node with a transform, not a union piped into a refinement: a batch of
// 100 calls runs these 2,000 times, and `bench:ingest` found the composed schemas (which also
// copied every properties/context object key by key) a sixth of the API's CPU.
const missing = "is required";

const id = z.unknown().transform((value, ctx) => {
  if (value === undefined) return fail(ctx, missing);
  if (typeof value !== "string" && typeof value !== "number") return fail(ctx, "must be a string or a number");
  const text = String(value).trim();
  if (text.length === 0) return fail(ctx, "must not be empty");
  if (text.length > 255) return fail(ctx, "must be at most 255 characters");
  return text;
});
const optionalId = id.nullable().optional();
const isoTime = z.unknown().transform((value, ctx) => {
  if (typeof value !== "string" && !(value instanceof Date)) return fail(ctx, value === undefined ? missing : "must be an ISO 8601 string");
  const time = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(time.getTime())) return fail(ctx, "is not a date (use ISO 8601)");
  return time;
});
/** A JSON object, passed through as it is (traits, properties and context are stored as sent). */
const object = z.custom<Record<string, unknown>>(
  (value) => value !== null && typeof value === "object" && !Array.isArray(value),
  { error: "must be an object" },
);

function fail(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: "custom", message });
  return z.NEVER;
}

const common = {
  userId: optionalId,
  anonymousId: optionalId,
  messageId: z.string().min(1).max(255).optional(),
  timestamp: isoTime.optional(),
  originalTimestamp: isoTime.optional(),
  sentAt: isoTime.optional(),
  context: object.optional(),
  integrations: z.unknown().optional(),
};

const someone = (call: { userId?: string | null; anonymousId?: string | null }) => Boolean(call.userId || call.anonymousId);
const someoneMessage = { message: "needs a userId or an anonymousId", path: ["userId"] };

export const trackCall = z
  .object({ ...common, type: z.literal("track").optional(), event: z.string({ error: (issue) => (issue.input === undefined ? missing : "must be a string") }).trim().min(1, "must name the event").max(200), properties: object.optional() })
  .refine(someone, someoneMessage);
export const identifyCall = z
  .object({ ...common, type: z.literal("identify").optional(), traits: object.optional() })
  .refine(someone, someoneMessage);
export const pageCall = z
  .object({
    ...common,
    type: z.literal("page").optional(),
    name: z.string().max(200).nullish(),
    category: z.string().max(200).nullish(),
    properties: object.optional(),
  })
  .refine(someone, someoneMessage);
export const screenCall = z
  .object({ ...common, type: z.literal("screen").optional(), name: z.string().max(200).nullish(), properties: object.optional() })
  .refine(someone, someoneMessage);
export const groupCall = z
  .object({ ...common, type: z.literal("group").optional(), groupId: id, traits: object.optional() })
  .refine(someone, someoneMessage);
export const aliasCall = z.object({ ...common, type: z.literal("alias").optional(), previousId: id, userId: id });

export const callSchemas = {
  track: trackCall,
  identify: identifyCall,
  page: pageCall,
  screen: screenCall,
  group: groupCall,
  alias: aliasCall,
} as const;

export type CallType = keyof typeof callSchemas;
export const callTypes = Object.keys(callSchemas) as CallType[];

export type TrackingCall =
  | ({ type: "track" } & z.output<typeof trackCall>)
  | ({ type: "identify" } & z.output<typeof identifyCall>)
  | ({ type: "page" } & z.output<typeof pageCall>)
  | ({ type: "screen" } & z.output<typeof screenCall>)
  | ({ type: "group" } & z.output<typeof groupCall>)
  | ({ type: "alias" } & z.output<typeof aliasCall>);

/** Segment's limits: 32 KB a call, 500 KB a batch. */
export const maxCallBytes = 32 * 1024;
export const maxBatchBytes = 500 * 1024;

/** Parses one call of a known type; a reason names the first offending field. */
export function parseCall(type: CallType, raw: unknown): { call: TrackingCall } | { reason: string } {
  const nul = nulPath(raw, "");
  if (nul !== undefined) return { reason: `${nul || "call"} contains a NUL character (\\u0000) or a broken UTF-16 character, which cannot be stored` };
  const parsed = callSchemas[type].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join(".") || "call";
    return { reason: `${field} ${issue.message}` };
  }
  return { call: { ...parsed.data, type } as TrackingCall };
}

/** A batch item names its own type. */
export function parseBatchItem(raw: unknown): { call: TrackingCall } | { reason: string } {
  const type = raw && typeof raw === "object" ? (raw as { type?: unknown }).type : undefined;
  if (typeof type !== "string" || !(callTypes as string[]).includes(type)) {
    return { reason: `type must be one of ${callTypes.join(", ")}` };
  }
  if (jsonBytesAtMost(raw) > maxCallBytes && Buffer.byteLength(JSON.stringify(raw)) > maxCallBytes) {
    return { reason: "is larger than 32 KB" };
  }
  return parseCall(type as CallType, raw);
}

// An upper bound of a parsed JSON value's size as JSON text, without writing it: a UTF-16 code
// unit takes at most 6 bytes (an escape such as \u001f), a number or a date at most 32. Only a call
// whose bound passes the limit is measured exactly.
function jsonBytesAtMost(value: unknown): number {
  if (typeof value === "string") return value.length * 6 + 2;
  if (value === null || typeof value !== "object" || value instanceof Date) return 32;
  let bytes = 2;
  if (Array.isArray(value)) {
    for (const item of value) bytes += jsonBytesAtMost(item) + 1;
    return bytes;
  }
  for (const key of Object.keys(value)) bytes += key.length * 6 + 4 + jsonBytesAtMost((value as Record<string, unknown>)[key]);
  return bytes;
}

import { z } from "zod";
import { nulPath } from "@/lib/api/nul";

// The Segment HTTP Tracking API, leniently: unknown fields are kept out of the way, ids may be
// numbers (as some SDKs send them), and every problem names the field.

const missingOr = (kind: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : `must be ${kind}`),
});

const id = z
  .union([z.string(), z.number()], missingOr("a string or a number"))
  .transform((value) => String(value).trim())
  .pipe(z.string().min(1, "must not be empty").max(255, "must be at most 255 characters"));
const optionalId = z.union([id, z.null()]).optional();
const isoTime = z
  .union([z.string(), z.date()], missingOr("an ISO 8601 string"))
  .transform((value, ctx) => {
    const time = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(time.getTime())) {
      ctx.addIssue({ code: "custom", message: "is not a date (use ISO 8601)" });
      return z.NEVER;
    }
    return time;
  });
const object = z.record(z.string(), z.unknown());

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
  .object({ ...common, type: z.literal("track").optional(), event: z.string(missingOr("a string")).trim().min(1, "must name the event").max(200), properties: object.optional() })
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
  if (Buffer.byteLength(JSON.stringify(raw)) > maxCallBytes) return { reason: "is larger than 32 KB" };
  return parseCall(type as CallType, raw);
}

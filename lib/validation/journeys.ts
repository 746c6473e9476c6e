import { z } from "zod";
import { journeyStatuses, runStatuses, taskStatuses } from "@/db/schema";
import { journeyGraph } from "@/lib/journeys/graph";

// One schema per body or query, shared by the REST routes and the journey pages' server
// actions. Field names are the API's (snake_case); the graph is the canvas's own JSON, so its
// node settings keep the canvas's names. Whether a graph can be published is
// lib/journeys/validate.ts's business (it needs the workspace's templates, segments, members).

const name = z.string().trim().min(1, "Give the journey a name.").max(200, "Use at most 200 characters.");
const description = z
  .string()
  .trim()
  .max(2000, "Use at most 2000 characters.")
  .transform((value) => value || null)
  .nullable();

const graph = journeyGraph;

/** POST /api/v1/journeys */
export const journeyCreateSchema = z.strictObject({ name, description: description.optional(), graph: graph.optional() });
export type JourneyCreate = z.output<typeof journeyCreateSchema>;

/** PATCH /api/v1/journeys/:id */
export const journeyPatchSchema = z.strictObject({ name: name.optional(), description: description.optional(), graph: graph.optional() });
export type JourneyPatch = z.output<typeof journeyPatchSchema>;

/** GET /api/v1/journeys */
export const journeyListQuerySchema = z.strictObject({
  status: z.enum(journeyStatuses, `Use one of ${journeyStatuses.join(", ")}.`).optional(),
});

/** A contact as the API names it: its id, `email:<address>` or `external_id:<value>` (`external:<value>` reads the same). */
const contactRef = z.string().trim().min(1, "Name a contact.").max(400, "Use at most 400 characters.");

/** POST /api/v1/journeys/:id/enroll */
export const journeyEnrollSchema = z.strictObject({
  contacts: z.array(contactRef).min(1, "Name at least one contact.").max(1000, "At most 1,000 contacts a call."),
  /** The same key sent again (a retried call) enters nobody a second time. */
  idempotency_key: z.string().trim().min(1, "An idempotency key is not empty.").max(200, "Use at most 200 characters.").optional(),
});
export type JourneyEnroll = z.output<typeof journeyEnrollSchema>;

const limit = (max: number) =>
  z.coerce.number().int("limit must be a whole number.").min(1, "limit is at least 1.").max(max, `limit is at most ${max}.`).default(50);
const cursor = z.string().max(500, "Not a cursor from this API.").optional();

/** GET /api/v1/journeys/:id/runs */
export const runListQuerySchema = z.strictObject({
  /** Only the runs at this node now (waiting there or due to move). */
  node: z.string().min(1).max(100).optional(),
  status: z.enum(runStatuses, `Use one of ${runStatuses.join(", ")}.`).optional(),
  limit: limit(200),
  cursor,
});

/** A workspace member: the user id or the email they sign in with. */
const assignee = z.string().trim().min(1, "Name a member by id or email.").max(320, "Use at most 320 characters.");

/** GET /api/v1/tasks */
export const taskListQuerySchema = z.strictObject({
  status: z.enum(taskStatuses, `Use one of ${taskStatuses.join(", ")}.`).optional(),
  assignee: assignee.optional(),
  limit: limit(200),
  cursor,
});

/** PATCH /api/v1/tasks/:id */
export const taskPatchSchema = z
  .strictObject({
    status: z.enum(taskStatuses, `Use one of ${taskStatuses.join(", ")}.`).optional(),
    /** null leaves the task unassigned. */
    assignee: assignee.nullable().optional(),
  })
  .refine((body) => body.status !== undefined || body.assignee !== undefined, { message: "Send status or assignee.", path: ["status"] });
export type TaskPatch = z.output<typeof taskPatchSchema>;

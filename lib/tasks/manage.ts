import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { decodeCursor, encodeCursor } from "@/db/queries/contacts";
import { contacts, members, tasks, users, type Task, type TaskStatus } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/uuid";

// Tasks are the human steps journeys (and the lead-scoring hand-off) create for workspace
// members. The REST API and the task list read them newest first and change their status and
// assignee; creating them is the engine's business.


export interface Assignee {
  id: string;
  email: string;
  name: string | null;
}

export interface TaskRow extends Task {
  assignee: Assignee | null;
  contact: { id: string; email: string | null; externalId: string | null; name: string | null } | null;
}

/** A member of the workspace by user id or sign-in email (any letter case); undefined when they are not one. */
export async function findMember(db: Db, workspaceId: string, ref: string): Promise<Assignee | undefined> {
  const which = isUuid(ref) ? eq(users.id, ref) : sql`lower(${users.email}) = lower(${ref})`;
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.workspaceId, workspaceId), which));
  return row;
}

async function requireMember(db: Db, workspaceId: string, ref: string, path: string): Promise<Assignee> {
  const member = await findMember(db, workspaceId, ref);
  if (!member) throw new AppError("validation_failed", `${ref} is not a member of this workspace.`, [{ path, message: "not_found" }]);
  return member;
}

// The cursor keeps created_at to the microsecond: a millisecond ISO string would skip or repeat
// tasks created within the same millisecond as a page's last one.
const cursorAt = sql<string>`to_char(${tasks.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

async function selectTasks(db: Db, where: SQL | undefined, limit: number) {
  const rows = await db
    .select({
      task: tasks,
      cursorAt,
      assigneeEmail: users.email,
      assigneeName: users.name,
      contactEmail: contacts.email,
      contactExternalId: contacts.externalId,
      contactName: sql<string | null>`nullif(trim(concat_ws(' ', ${contacts.firstName}, ${contacts.lastName})), '')`,
      contactFound: contacts.id,
    })
    .from(tasks)
    .leftJoin(users, eq(users.id, tasks.assigneeId))
    .leftJoin(contacts, and(eq(contacts.workspaceId, tasks.workspaceId), eq(contacts.id, tasks.contactId)))
    .where(where)
    .orderBy(desc(tasks.createdAt), desc(tasks.id))
    .limit(limit);
  return rows.map((row) => ({
    cursorAt: row.cursorAt,
    task: {
      ...row.task,
      assignee: row.task.assigneeId && row.assigneeEmail ? { id: row.task.assigneeId, email: row.assigneeEmail, name: row.assigneeName } : null,
      contact: row.contactFound
        ? { id: row.contactFound, email: row.contactEmail, externalId: row.contactExternalId, name: row.contactName }
        : null,
    } satisfies TaskRow,
  }));
}

/** Tasks newest first, keyset-paged; `assignee` is a member's user id or email (a 422 when it names nobody in the workspace). */
export async function listTasks(
  db: Db,
  workspaceId: string,
  options: { status?: TaskStatus; assignee?: string; limit?: number; cursor?: string | null } = {},
): Promise<{ tasks: TaskRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const assignee = options.assignee ? await requireMember(db, workspaceId, options.assignee, "assignee") : undefined;
  const decoded = decodeCursor(options.cursor);
  const after =
    decoded && decoded.length === 2 && !Number.isNaN(Date.parse(String(decoded[0]))) && isUuid(String(decoded[1])) ? decoded.map(String) : undefined;
  const rows = await selectTasks(
    db,
    and(
      eq(tasks.workspaceId, workspaceId),
      options.status ? eq(tasks.status, options.status) : undefined,
      assignee ? eq(tasks.assigneeId, assignee.id) : undefined,
      after ? sql`(${tasks.createdAt}, ${tasks.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
    ),
    limit + 1,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { tasks: page.map((row) => row.task), nextCursor: rows.length > limit && last ? encodeCursor([last.cursorAt, last.task.id]) : null };
}

export async function getTask(db: Db, workspaceId: string, taskId: string): Promise<TaskRow | undefined> {
  if (!isUuid(taskId)) return undefined;
  const [row] = await selectTasks(db, and(eq(tasks.workspaceId, workspaceId), eq(tasks.id, taskId)), 1);
  return row?.task;
}

export async function requireTask(db: Db, workspaceId: string, taskId: string): Promise<TaskRow> {
  const task = await getTask(db, workspaceId, taskId);
  if (!task) throw new AppError("not_found", `No task ${taskId} in this workspace.`);
  return task;
}

/** Marks a task done, cancelled or open again, and/or hands it to another member (`null`: nobody). */
export async function updateTask(
  db: Db,
  workspaceId: string,
  taskId: string,
  patch: { status?: TaskStatus; assignee?: string | null },
): Promise<TaskRow> {
  const task = await requireTask(db, workspaceId, taskId);
  const assignee = patch.assignee ? await requireMember(db, workspaceId, patch.assignee, "assignee") : (patch.assignee as null | undefined);
  const status = patch.status ?? task.status;
  await db
    .update(tasks)
    .set({
      status,
      // done_at is when it was done: kept while it stays done, cleared when it is reopened or cancelled.
      doneAt: status === "done" ? (task.doneAt ?? new Date()) : null,
      ...(assignee !== undefined ? { assigneeId: assignee?.id ?? null } : {}),
    })
    .where(and(eq(tasks.workspaceId, workspaceId), eq(tasks.id, task.id)));
  return requireTask(db, workspaceId, task.id);
}

import { getTranslations } from "next-intl/server";
import type { z } from "zod";
import type { Role } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { checkMembership, type WorkspaceContext } from "./session";

export type ActionState<T = unknown> =
  | { ok: true; data?: T; message?: string }
  | { ok: false; error: string; fieldErrors?: Record<string, string> }
  | null;

type Translator = Awaited<ReturnType<typeof getTranslations<"errors">>>;

function formObject(formData: FormData): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION") || key === "workspaceId") continue;
    if (typeof value === "string") object[key] = value;
  }
  return object;
}

/** Field messages from a zod error, translated where the message is one of ours. */
export function fieldErrors(error: z.ZodError, t: Translator): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "_";
    if (fields[field]) continue;
    const key = `validation.${issue.message}`;
    fields[field] = t.has(key as never) ? t(key as never) : issue.message;
  }
  return fields;
}

/** An AppError's details in the REST shape ([{ path, message }]) as a form's field errors. */
function detailFieldErrors(details: unknown, t: Translator): Record<string, string> | undefined {
  if (!Array.isArray(details)) return undefined;
  const fields: Record<string, string> = {};
  for (const detail of details) {
    if (typeof detail?.path !== "string" || typeof detail?.message !== "string" || fields[detail.path]) continue;
    const key = `validation.${detail.message}`;
    fields[detail.path] = t.has(key as never) ? t(key as never) : detail.message;
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}

export function appErrorMessage(error: AppError, t: Translator): string {
  const key = `codes.${error.code}`;
  return t.has(key as never) ? t(key as never) : error.message;
}

// Every workspace server action goes through here: session, then membership and role,
// then the zod parse; the handler sees only valid input from someone allowed to act.
export function workspaceAction<S extends z.ZodType, T = unknown>(
  atLeast: Role,
  schema: S,
  handler: (input: z.output<S>, context: WorkspaceContext) => Promise<{ data?: T; message?: string } | void>,
) {
  return async (_previous: ActionState<T>, formData: FormData): Promise<ActionState<T>> => {
    const t = await getTranslations("errors");
    const workspaceId = formData.get("workspaceId");
    if (typeof workspaceId !== "string" || !workspaceId) return { ok: false, error: t("codes.bad_request") };
    const check = await checkMembership({ workspaceId }, atLeast);
    if (!check.ok) {
      if (check.reason === "role") {
        const tRoles = await getTranslations("roles");
        return { ok: false, error: t("role", { role: tRoles(atLeast) }) };
      }
      return { ok: false, error: t(`codes.${check.reason === "signed_out" ? "unauthorized" : "not_found"}`) };
    }
    const parsed = schema.safeParse(formObject(formData));
    if (!parsed.success) {
      return { ok: false, error: t("codes.validation_failed"), fieldErrors: fieldErrors(parsed.error, t) };
    }
    try {
      const result = await handler(parsed.data, check.context);
      return { ok: true, ...(result ?? {}) };
    } catch (error) {
      if (error instanceof AppError) {
        const fields = detailFieldErrors(error.details, t);
        return { ok: false, error: appErrorMessage(error, t), ...(fields ? { fieldErrors: fields } : {}) };
      }
      throw error;
    }
  };
}

/** The same parse-and-translate steps for the few actions that run before there is a workspace. */
export async function publicAction<S extends z.ZodType, T = unknown>(
  schema: S,
  formData: FormData,
  handler: (input: z.output<S>) => Promise<ActionState<T>>,
): Promise<ActionState<T>> {
  const t = await getTranslations("errors");
  const parsed = schema.safeParse(formObject(formData));
  if (!parsed.success) {
    return { ok: false, error: t("codes.validation_failed"), fieldErrors: fieldErrors(parsed.error, t) };
  }
  try {
    return await handler(parsed.data);
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: appErrorMessage(error, t) };
    throw error;
  }
}

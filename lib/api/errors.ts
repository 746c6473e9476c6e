import { ZodError } from "zod";
import { AppError } from "@/lib/errors";

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

// The one place a thrown error becomes an HTTP reply.
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    return Response.json(errorBody(error.code, error.message, error.details), { status: error.status });
  }
  if (error instanceof ZodError) {
    const details = error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    const first = details[0];
    const message = first ? `Invalid ${first.path || "body"}: ${first.message}` : "Invalid input.";
    return Response.json(errorBody("validation_failed", message, details), { status: 422 });
  }
  console.error("[api]", error);
  return Response.json(errorBody("internal_error", "Something went wrong on our side; it has been logged."), {
    status: 500,
  });
}

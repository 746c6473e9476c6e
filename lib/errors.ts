export type ErrorCode =
  | "bad_request"
  | "invalid_json"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "validation_failed"
  | "payload_too_large"
  | "setup_done"
  | "last_owner"
  | "invite_invalid"
  | "wrong_password";

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation_failed: 422,
  payload_too_large: 413,
  setup_done: 409,
  last_owner: 409,
  invite_invalid: 410,
  wrong_password: 401,
};

/** An error meant for the person or program that caused it: a code, a reason, a status. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
    this.status = statusOf[code];
  }
}

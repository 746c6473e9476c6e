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
  | "wrong_password"
  | "insufficient_points"
  | "out_of_stock"
  | "limit_reached"
  | "coupon_expired"
  | "coupon_used"
  | "coupon_not_issued";

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
  insufficient_points: 422,
  out_of_stock: 409,
  limit_reached: 409,
  coupon_expired: 409,
  coupon_used: 409,
  coupon_not_issued: 409,
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

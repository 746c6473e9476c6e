/** Reason codes a bad row can have; each has a message under `imports.reasons`. */
export const reasonCodes = [
  "invalid_email",
  "wrong_type",
  "missing_match_key",
  "invalid_timezone",
  "invalid_locale",
  "too_long",
  "tag_too_long",
  "too_many_tags",
  "external_id_taken",
  "external_id_conflict",
  "malformed",
] as const;

/** The message key of a reason (an unknown code from a newer version reads as a generic one). */
export function reasonKey(reason: string): `reasons.${(typeof reasonCodes)[number] | "unknown"}` {
  return `reasons.${(reasonCodes as readonly string[]).includes(reason) ? (reason as (typeof reasonCodes)[number]) : "unknown"}`;
}

import { AppError } from "@/lib/errors";

// lib/ modules that predate their REST API name fields in camelCase in their refusals
// (`validUntil`, `actions.0.campaignId`); the API speaks snake_case, so its routes pass such
// errors through here.

export function snakePath(path: string): string {
  return path.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

// Only these names are rewritten in a message: it may quote a rule or a property that is camelCase by right.
const fieldNames = /\b(segmentId|campaignId|templateId|validFrom|validUntil|activeFrom|activeUntil|expiresInDays|perContactLimit)\b/g;

/** A validation_failed AppError with its details' paths (and the camelCase names in its message) in snake_case; any other error as it is. */
export function snakeError(error: unknown): unknown {
  if (error instanceof AppError && error.code === "validation_failed" && Array.isArray(error.details)) {
    const details = (error.details as Array<{ path?: string }>).map((detail) => (typeof detail.path === "string" ? { ...detail, path: snakePath(detail.path) } : detail));
    return new AppError(error.code, error.message.replace(fieldNames, snakePath), details);
  }
  return error;
}

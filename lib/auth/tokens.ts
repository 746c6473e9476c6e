import { createHash, randomBytes } from "node:crypto";

export function randomToken(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString("base64url")}`;
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** What the UI shows of a key: its prefix and a few characters, never enough to use. */
export function displayPrefix(token: string): string {
  return `${token.slice(0, 7)}…`;
}

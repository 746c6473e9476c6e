import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "@/db/client";
import { instanceSecret } from "@/db/queries/secrets";

// Keys for what messages hand out and keep: link tokens (open, click, unsubscribe, preference
// centre, inbox user tokens) are HMAC-signed; stored provider secrets (SMTP password, DKIM key,
// webhook secret) are AES-256-GCM encrypted. ENCRYPTION_KEY overrides the generated key, so
// a database dump alone does not reveal them.

// Per database handle: one process may hold several databases (tests), each with its own keys.
const cache = new WeakMap<Db, Map<string, Buffer>>();

async function key(db: Db, name: string, override?: string): Promise<Buffer> {
  let keys = cache.get(db);
  if (!keys) cache.set(db, (keys = new Map()));
  const cached = keys.get(name);
  if (cached) return cached;
  const material = override || (await instanceSecret(db, name));
  const derived = createHash("sha256").update(`tideline:${name}:`).update(material).digest();
  keys.set(name, derived);
  return derived;
}

export function signingKey(db: Db): Promise<Buffer> {
  return key(db, "messages.signing");
}

function encryptionKey(db: Db): Promise<Buffer> {
  return key(db, "messages.encryption", process.env.ENCRYPTION_KEY);
}

export async function encryptSecret(db: Db, plain: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", await encryptionKey(db), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

/** The plain secret, or undefined when it was encrypted under another key (ENCRYPTION_KEY changed). */
export async function decryptSecret(db: Db, stored: string): Promise<string | undefined> {
  const [version, iv, tag, body] = stored.split(".");
  if (version !== "v1" || !iv || !tag || !body) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", await encryptionKey(db), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

/** `payload.signature`, both base64url; the payload is JSON. */
export async function signToken(db: Db, payload: unknown): Promise<string> {
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  const signature = createHmac("sha256", await signingKey(db)).update(body).digest("base64url");
  return `${body}.${signature}`;
}

/** The payload of a token this instance signed, or undefined for anything else. */
export async function verifyToken<T = unknown>(db: Db, token: string): Promise<T | undefined> {
  const [body, signature] = token.split(".");
  if (!body || !signature) return undefined;
  const expected = createHmac("sha256", await signingKey(db)).update(body).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    return JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as T;
  } catch {
    return undefined;
  }
}

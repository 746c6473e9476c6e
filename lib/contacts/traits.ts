import type { JsonObject, NewContact } from "@/db/schema";

type ContactFields = Pick<NewContact, "email" | "phone" | "firstName" | "lastName" | "timezone" | "locale" | "lifecycleStage">;

// Trait names (Segment's reserved traits, in either spelling) that are contact fields, not attributes.
const fieldOf: Record<string, keyof ContactFields> = {
  email: "email",
  phone: "phone",
  firstName: "firstName",
  first_name: "firstName",
  lastName: "lastName",
  last_name: "lastName",
  timezone: "timezone",
  locale: "locale",
  lifecycleStage: "lifecycleStage",
  lifecycle_stage: "lifecycleStage",
};
const ignored = new Set(["id", "userId", "user_id", "anonymousId", "name", "createdAt", "created_at", "groupId", "previousId"]);

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export interface SplitTraits {
  fields: ContactFields;
  attributes: JsonObject;
  /** Segment's `createdAt` trait: when the person signed up in the source system. */
  createdAt?: Date;
}

/** Separates traits into contact fields and custom attributes. */
export function splitTraits(traits: JsonObject): SplitTraits {
  const fields: ContactFields = {};
  const attributes: JsonObject = {};
  for (const [key, value] of Object.entries(traits)) {
    const field = fieldOf[key];
    if (field) {
      if (typeof value === "string" || typeof value === "number") fields[field] = String(value).trim() || null;
      else if (value === null) fields[field] = null;
      continue;
    }
    if (ignored.has(key) || value === undefined) continue;
    attributes[key] = value;
  }
  if (fields.email) fields.email = fields.email.toLowerCase();
  if (fields.timezone && !isTimeZone(fields.timezone)) delete fields.timezone;
  const name = traits.name;
  if (typeof name === "string" && name.trim() && fields.firstName === undefined && fields.lastName === undefined) {
    const [first, ...rest] = name.trim().split(/\s+/);
    fields.firstName = first;
    if (rest.length > 0) fields.lastName = rest.join(" ");
  }
  const created = traits.createdAt ?? traits.created_at;
  const createdAt = typeof created === "string" || typeof created === "number" ? new Date(created) : undefined;
  return { fields, attributes, createdAt: createdAt && !Number.isNaN(createdAt.getTime()) ? createdAt : undefined };
}

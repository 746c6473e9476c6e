import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  allContactEvents,
  companyOf,
  contactIdentitiesOf,
  detachIdentity,
  findContact,
  findIdentifierHolder,
  lockContact,
  type ContactLookup,
} from "@/db/queries/contacts";
import { contacts, type Company, type Contact, type Json, type JsonObject } from "@/db/schema";
import { discoverAttributes } from "@/lib/contacts/attributes";
import { checkAttributeTypes } from "@/lib/contacts/attribute-catalogue";
import { attachIdentity, currentContactId, findByIdentity, normalizeEmail } from "@/lib/contacts/identity";
import { AppError } from "@/lib/errors";
import type { ContactBody, ContactPatch } from "@/lib/validation/contacts";
import { isUuid } from "@/lib/uuid";

type Profile = Pick<Contact, "externalId" | "email" | "phone" | "firstName" | "lastName" | "timezone" | "locale" | "lifecycleStage">;

// The body's snake_case names for the contact's columns.
const profileFields = {
  external_id: "externalId",
  email: "email",
  phone: "phone",
  first_name: "firstName",
  last_name: "lastName",
  timezone: "timezone",
  locale: "locale",
  lifecycle_stage: "lifecycleStage",
} as const satisfies Record<string, keyof Profile>;

/** The profile columns a body sets; `replace` clears those it leaves out. */
function profileOf(body: ContactBody | ContactPatch, mode: "merge" | "replace"): Partial<Profile> {
  const profile: Partial<Profile> = {};
  for (const [name, column] of Object.entries(profileFields)) {
    const value = body[name as keyof typeof profileFields];
    if (value !== undefined) profile[column] = value;
    else if (mode === "replace") profile[column] = null;
  }
  if (profile.email) profile.email = normalizeEmail(profile.email);
  return profile;
}

function withoutNulls(values: Record<string, Json>): JsonObject {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));
}

function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags)].sort();
}

function isUniqueViolation(error: unknown): boolean {
  for (let cause = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if ((cause as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

function conflict(field: "external_id" | "email", value: string, contactId?: string): AppError {
  return new AppError(
    "conflict",
    contactId
      ? `The ${field} ${JSON.stringify(value)} already belongs to contact ${contactId}.`
      : `The ${field} ${JSON.stringify(value)} was just given to another contact.`,
    { field, contact_id: contactId ?? null },
  );
}

// A unique index that fires anyway (two requests racing past the checks) is the same conflict.
async function inTransaction<T>(db: Db, run: (tx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction((tx) => run(tx as unknown as Db));
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", "Another request just gave this external_id or email to another contact.");
    throw error;
  }
}

async function refuseTakenIdentifiers(tx: Db, workspaceId: string, profile: Partial<Profile>, contactId?: string) {
  if (profile.externalId) {
    const holder = await findIdentifierHolder(tx, { workspaceId, kind: "user_id", value: profile.externalId, exceptContactId: contactId });
    if (holder) throw conflict("external_id", profile.externalId, holder);
  }
  if (profile.email) {
    const holder = await findIdentifierHolder(tx, { workspaceId, kind: "email", value: profile.email, exceptContactId: contactId });
    if (holder) throw conflict("email", profile.email, holder);
  }
}

// external_id mirrors the contact's user_id identity and email its email identity, so tracking
// calls and the API agree on who a person is: a changed value moves, a cleared one goes.
async function syncIdentities(tx: Db, workspaceId: string, contactId: string, before: Partial<Profile>, after: Partial<Profile>) {
  const pairs = [
    { kind: "user_id" as const, field: "external_id" as const, old: before.externalId, next: after.externalId },
    { kind: "email" as const, field: "email" as const, old: before.email, next: after.email },
  ];
  for (const { kind, field, old, next } of pairs) {
    if (next === undefined || next === old) continue;
    if (old) await detachIdentity(tx, { workspaceId, contactId, kind, value: kind === "email" ? normalizeEmail(old) : old });
    if (next) {
      const holder = await attachIdentity(tx, workspaceId, contactId, kind, next);
      if (holder !== contactId) throw conflict(field, next, holder);
    }
  }
}

/** Creates a contact from a full body; 409 `conflict` when its external_id or email is taken. */
export async function createContact(db: Db, workspaceId: string, body: ContactBody): Promise<Contact> {
  return inTransaction(db, async (tx) => {
    const attributes = withoutNulls(body.attributes ?? {});
    await checkAttributeTypes(tx, workspaceId, attributes);
    const profile = profileOf(body, "replace");
    await refuseTakenIdentifiers(tx, workspaceId, profile);
    const [contact] = await tx
      .insert(contacts)
      .values({ workspaceId, ...profile, attributes, tags: normalizeTags(body.tags ?? []) })
      .returning();
    await syncIdentities(tx, workspaceId, contact.id, {}, profile);
    await discoverAttributes(tx, workspaceId, new Map(Object.entries(attributes)));
    return contact;
  });
}

async function writeContact(
  tx: Db,
  workspaceId: string,
  current: Contact,
  change: { profile: Partial<Profile>; attributes?: JsonObject; tags?: string[]; discovered: JsonObject },
): Promise<Contact> {
  const externalId = change.profile.externalId !== undefined ? change.profile.externalId : current.externalId;
  const email = change.profile.email !== undefined ? change.profile.email : current.email;
  if (!externalId && !email) {
    throw new AppError("validation_failed", "A contact keeps an external_id or an email; this change would remove both.", [
      { path: "external_id", message: "Keep an external_id or an email." },
    ]);
  }
  const changedIds: Partial<Profile> = {
    externalId: externalId !== current.externalId ? externalId : undefined,
    email: email !== current.email ? email : undefined,
  };
  await refuseTakenIdentifiers(tx, workspaceId, changedIds, current.id);
  const [updated] = await tx
    .update(contacts)
    .set({ ...change.profile, attributes: change.attributes, tags: change.tags, updatedAt: new Date() })
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, current.id)))
    .returning();
  await syncIdentities(tx, workspaceId, current.id, current, changedIds);
  await discoverAttributes(tx, workspaceId, new Map(Object.entries(change.discovered)));
  return updated;
}

function notFound(contactId: string): AppError {
  return new AppError("not_found", `No contact ${contactId} in this workspace.`);
}

// PATCH: fields given replace theirs; attributes merge key by key (null removes a key); `tags`
// replaces the list, then add_tags and remove_tags apply.
export async function updateContact(db: Db, workspaceId: string, contactId: string, patch: ContactPatch): Promise<Contact> {
  return inTransaction(db, async (tx) => {
    const current = await lockContact(tx, workspaceId, contactId);
    if (!current) throw notFound(contactId);
    const given = patch.attributes ?? {};
    await checkAttributeTypes(tx, workspaceId, given);
    let attributes: JsonObject | undefined;
    if (patch.attributes) {
      attributes = { ...current.attributes };
      for (const [key, value] of Object.entries(given)) {
        if (value === null) delete attributes[key];
        else attributes[key] = value;
      }
    }
    let tags: string[] | undefined;
    if (patch.tags || patch.add_tags || patch.remove_tags) {
      const removed = new Set(patch.remove_tags ?? []);
      tags = normalizeTags([...(patch.tags ?? current.tags), ...(patch.add_tags ?? [])].filter((tag) => !removed.has(tag)));
    }
    return writeContact(tx, workspaceId, current, { profile: profileOf(patch, "merge"), attributes, tags, discovered: withoutNulls(given) });
  });
}

/** PUT: the body becomes the whole contact (fields, attributes and tags it leaves out are cleared). */
export async function replaceContact(db: Db, workspaceId: string, contactId: string, body: ContactBody): Promise<Contact> {
  return inTransaction(db, async (tx) => {
    const current = await lockContact(tx, workspaceId, contactId);
    if (!current) throw notFound(contactId);
    const attributes = withoutNulls(body.attributes ?? {});
    await checkAttributeTypes(tx, workspaceId, attributes);
    return writeContact(tx, workspaceId, current, {
      profile: profileOf(body, "replace"),
      attributes,
      tags: normalizeTags(body.tags ?? []),
      discovered: attributes,
    });
  });
}


/** `:id` of the REST API: a contact id, `external_id:<value>` or `email:<address>`. */
export function parseContactRef(ref: string): ContactLookup {
  if (ref.startsWith("external_id:")) return { externalId: ref.slice("external_id:".length) };
  if (ref.startsWith("email:")) return { email: normalizeEmail(ref.slice("email:".length)) };
  return { id: ref };
}

// Finds a contact by reference, in this workspace only. An old identifier still finds its
// person: a merged-away id leads to the survivor, an external id or email to its identity.
export async function findContactByRef(db: Db, workspaceId: string, ref: string): Promise<Contact> {
  const lookup = parseContactRef(ref);
  const direct = await findContact(db, workspaceId, lookup);
  if (direct) return direct;
  let contactId: string | undefined;
  if ("id" in lookup) {
    if (isUuid(lookup.id)) {
      const current = await currentContactId(db, workspaceId, lookup.id);
      if (current !== lookup.id) contactId = current;
    }
  } else if ("externalId" in lookup) {
    if (lookup.externalId) contactId = await findByIdentity(db, workspaceId, "user_id", lookup.externalId);
  } else if (lookup.email) {
    contactId = await findByIdentity(db, workspaceId, "email", lookup.email);
  }
  const found = contactId ? await findContact(db, workspaceId, { id: contactId }) : undefined;
  if (!found) {
    const what = "id" in lookup ? lookup.id : "externalId" in lookup ? `with external_id ${JSON.stringify(lookup.externalId)}` : `with email ${JSON.stringify(lookup.email)}`;
    throw notFound(what);
  }
  return found;
}

/** A contact as the REST API shows it (snake_case, like the request bodies). */
export function contactJson(contact: Contact) {
  return {
    id: contact.id,
    external_id: contact.externalId,
    email: contact.email,
    phone: contact.phone,
    first_name: contact.firstName,
    last_name: contact.lastName,
    attributes: contact.attributes,
    tags: contact.tags,
    score: contact.score,
    lifecycle_stage: contact.lifecycleStage,
    timezone: contact.timezone,
    locale: contact.locale,
    company_id: contact.companyId,
    created_at: contact.createdAt.toISOString(),
    updated_at: contact.updatedAt.toISOString(),
    last_seen_at: contact.lastSeenAt?.toISOString() ?? null,
  };
}

export function companyJson(company: Company) {
  return {
    id: company.id,
    group_id: company.groupId,
    name: company.name,
    traits: company.traits,
    created_at: company.createdAt.toISOString(),
    updated_at: company.updatedAt.toISOString(),
  };
}

export function eventJson(event: {
  id: number;
  type: string;
  name: string | null;
  messageId: string;
  properties: JsonObject;
  traits: JsonObject;
  context: JsonObject;
  timestamp: Date;
  receivedAt?: Date;
}) {
  return {
    id: event.id,
    type: event.type,
    name: event.name,
    message_id: event.messageId,
    properties: event.properties,
    traits: event.traits,
    context: event.context,
    timestamp: event.timestamp.toISOString(),
    ...(event.receivedAt ? { received_at: event.receivedAt.toISOString() } : {}),
  };
}

/** The contact with the identifiers it answers to and its company (GET /api/v1/contacts/:id). */
export async function contactDetail(db: Db, workspaceId: string, contact: Contact) {
  const [identities, company] = await Promise.all([
    contactIdentitiesOf(db, workspaceId, contact.id),
    companyOf(db, workspaceId, contact.companyId),
  ]);
  return {
    ...contactJson(contact),
    identities: identities.map((identity) => ({ kind: identity.kind, value: identity.value, created_at: identity.createdAt.toISOString() })),
    company: company ? companyJson(company) : null,
  };
}

/** Everything stored about one contact, as one JSON document (a data-access request, a download). */
export async function exportContact(db: Db, workspaceId: string, contactId: string) {
  const contact = await findContact(db, workspaceId, { id: contactId });
  if (!contact) throw notFound(contactId);
  const { identities, company, ...profile } = await contactDetail(db, workspaceId, contact);
  const history = await allContactEvents(db, workspaceId, contact.id);
  return { exported_at: new Date().toISOString(), contact: profile, identities, company, events: history.map(eventJson) };
}

import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { contacts, events, segmentMemberships, type AttributeType } from "@/db/schema";
import { queryRows } from "@/db/sql";
import { matchingContactsQuery } from "@/lib/segments/compile";
import { evaluateRule, type LoadedContact } from "@/lib/segments/evaluate";
import { validateRule } from "@/lib/segments/validate";
import { createOwnedWorkspace } from "./accounts";
import type { CatalogueEntry, GeneratedContact, Scenario } from "./segment-arbitraries";

// Puts generated contacts into a fresh workspace and checks that the compiled SQL and the
// reference evaluator select the same contacts for a rule.

export interface SeededContact {
  id: string;
  loaded: LoadedContact;
}

export interface SeededWorkspace {
  workspaceId: string;
  attributes: Map<string, AttributeType>;
  contacts: SeededContact[];
}

export function catalogueMap(catalogue: CatalogueEntry[]): Map<string, AttributeType> {
  return new Map(catalogue.map((entry) => [entry.key, entry.type]));
}

/** A contact with every field empty, for hand-written examples. */
export function person(overrides: Partial<Omit<GeneratedContact, "fields">> & { fields?: Partial<GeneratedContact["fields"]> } = {}): GeneratedContact {
  return {
    fields: {
      email: null,
      phone: null,
      first_name: null,
      last_name: null,
      external_id: null,
      lifecycle_stage: null,
      timezone: null,
      locale: null,
      created_at: new Date("2025-01-01T00:00:00Z"),
      last_seen_at: null,
      score: 0,
      ...overrides.fields,
    },
    attributes: overrides.attributes ?? {},
    tags: overrides.tags ?? [],
    events: overrides.events ?? [],
    memberships: overrides.memberships ?? [],
  };
}

/** Inserts the contacts, their events and memberships with one multi-row insert each, then loads them back as the evaluator sees them. */
export async function seedContacts(db: Db, catalogue: CatalogueEntry[], people: GeneratedContact[]): Promise<SeededWorkspace> {
  const { workspace } = await createOwnedWorkspace(db);
  const workspaceId = workspace.id;
  const ids = people.map(() => randomUUID());
  if (people.length > 0) {
    await db.insert(contacts).values(
      people.map((person, i) => ({
        workspaceId,
        id: ids[i],
        email: person.fields.email,
        phone: person.fields.phone,
        firstName: person.fields.first_name,
        lastName: person.fields.last_name,
        externalId: person.fields.external_id,
        lifecycleStage: person.fields.lifecycle_stage,
        timezone: person.fields.timezone,
        locale: person.fields.locale,
        createdAt: person.fields.created_at,
        lastSeenAt: person.fields.last_seen_at,
        score: person.fields.score,
        attributes: person.attributes,
        tags: person.tags,
      })),
    );
  }
  const eventRows = people.flatMap((person, i) =>
    person.events.map((event) => ({
      workspaceId,
      contactId: ids[i],
      messageId: randomUUID(),
      type: "track" as const,
      name: event.name,
      properties: event.properties,
      timestamp: event.timestamp,
    })),
  );
  // Every other event also arrives without a contact (not yet resolved): it belongs to no one,
  // and a NULL contact_id must not leak into set-mode "c.id in (...)" lists.
  const orphans = eventRows.filter((_, i) => i % 2 === 0).map((event) => ({ ...event, contactId: null, messageId: randomUUID() }));
  if (eventRows.length > 0) await db.insert(events).values([...eventRows, ...orphans]);
  const membershipRows = people.flatMap((person, i) => person.memberships.map((membership) => ({ workspaceId, contactId: ids[i], ...membership })));
  if (membershipRows.length > 0) await db.insert(segmentMemberships).values(membershipRows);

  // Loaded back from the database, as a real contact load would see them (jsonb-normalised).
  const rows = await db.select().from(contacts).where(eq(contacts.workspaceId, workspaceId));
  const storedEvents = await db.select().from(events).where(eq(events.workspaceId, workspaceId));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return {
    workspaceId,
    attributes: catalogueMap(catalogue),
    contacts: ids.map((id, i) => {
      const row = byId.get(id)!;
      return {
        id,
        loaded: {
          fields: {
            email: row.email,
            phone: row.phone,
            first_name: row.firstName,
            last_name: row.lastName,
            external_id: row.externalId,
            lifecycle_stage: row.lifecycleStage,
            timezone: row.timezone,
            locale: row.locale,
            created_at: row.createdAt,
            last_seen_at: row.lastSeenAt,
            score: row.score,
            points_balance: row.pointsBalance,
          },
          attributes: row.attributes,
          tags: row.tags,
          events: storedEvents
            .filter((event) => event.contactId === id)
            .map((event) => ({ name: event.name ?? "", properties: event.properties, timestamp: event.timestamp })),
          memberships: people[i].memberships,
        },
      };
    }),
  };
}

/** Ids the compiled SQL selects, in one mode ("contacts" checks `only`, by default every contact). */
export async function sqlSelection(db: Db, seeded: SeededWorkspace, rule: unknown, now: Date, mode: "set" | "contacts", only?: string[]): Promise<string[]> {
  const checked = validateRule(rule, { attributes: seeded.attributes });
  if (!checked.ok) throw new Error(`the validator refused a generated rule: ${JSON.stringify(checked.problems)}\nrule: ${JSON.stringify(rule)}`);
  const query = matchingContactsQuery(checked.condition, {
    workspaceId: seeded.workspaceId,
    now,
    mode,
    contactIds: mode === "contacts" ? (only ?? seeded.contacts.map((contact) => contact.id)) : undefined,
  });
  const rows = await queryRows<{ id: string }>(db, query);
  return rows.map((row) => row.id).sort();
}

/** Ids the reference evaluator selects. */
export function evaluatorSelection(seeded: SeededWorkspace, rule: unknown, now: Date): string[] {
  return seeded.contacts
    .filter((contact) => evaluateRule(rule, contact.loaded, { attributes: seeded.attributes, now }))
    .map((contact) => contact.id)
    .sort();
}

function describeContact(contact: SeededContact): string {
  return JSON.stringify({ ...contact.loaded, events: contact.loaded.events }, (key, value) => (typeof value === "number" && Object.is(value, -0) ? "-0 (number)" : value));
}

/**
 * Throws with the rule, the mode and the contacts on which the two sides differ. Checks set mode,
 * contacts mode with every contact, and (with `subset`) contacts mode with some of them, as a
 * real-time check of the contacts an event touched would.
 */
export async function expectAgreement(db: Db, seeded: SeededWorkspace, rule: unknown, now: Date, subset = false): Promise<void> {
  const everyone = evaluatorSelection(seeded, rule, now);
  const some = seeded.contacts.filter((_, i) => i % 2 === 1).map((contact) => contact.id);
  const checks: Array<{ mode: "set" | "contacts"; only?: string[]; label: string }> = [
    { mode: "set", label: "set mode" },
    { mode: "contacts", label: "contacts mode, every contact" },
  ];
  if (subset) checks.push({ mode: "contacts", only: some, label: "contacts mode, every other contact" });
  for (const { mode, only, label } of checks) {
    const expected = only ? everyone.filter((id) => only.includes(id)) : everyone;
    const actual = await sqlSelection(db, seeded, rule, now, mode, only);
    if (actual.join() === expected.join()) continue;
    const differing = seeded.contacts.filter((contact) => expected.includes(contact.id) !== actual.includes(contact.id));
    throw new Error(
      [
        `SQL (${label}) and the reference evaluator disagree`,
        `rule: ${JSON.stringify(rule)}`,
        `now: ${now.toISOString()}`,
        `catalogue: ${JSON.stringify([...seeded.attributes])}`,
        ...differing.map((contact) => `${expected.includes(contact.id) ? "evaluator only" : "SQL only"}: ${describeContact(contact)}`),
      ].join("\n"),
    );
  }
}

/** Seeds a scenario in a fresh workspace and checks every rule of it. */
export async function expectScenarioAgreement(db: Db, scenario: Scenario): Promise<void> {
  const seeded = await seedContacts(db, scenario.catalogue, scenario.contacts);
  for (const [i, rule] of scenario.rules.entries()) await expectAgreement(db, seeded, rule, scenario.now, i === 0);
}

import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channels, contactConsents, type Channel, type ConsentStatus } from "@/db/schema";

// Consent per contact and channel. No row means the contact never said either way: marketing
// may be sent (the workspace collects opt-in where the law asks for it, e.g. through forms).

export interface ConsentState {
  channel: Channel;
  /** null: never asked. */
  status: ConsentStatus | null;
  source: string | null;
  updatedAt: Date | null;
}

/** Sources that mean the contact unsubscribed themselves (as opposed to consent never given or withdrawn elsewhere). */
export const unsubscribeSources = ["one_click", "preference_centre", "mailto"];

export async function setConsent(
  db: Db,
  input: { workspaceId: string; contactId: string; channel: Channel; status: ConsentStatus; source: string },
): Promise<void> {
  await db
    .insert(contactConsents)
    .values({ ...input, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [contactConsents.workspaceId, contactConsents.contactId, contactConsents.channel],
      set: { status: input.status, source: input.source, updatedAt: sql`now()` },
    });
}

/** The contact's consent on every channel, in channel order. */
export async function consentOf(db: Db, input: { workspaceId: string; contactId: string }): Promise<ConsentState[]> {
  const rows = await db
    .select()
    .from(contactConsents)
    .where(and(eq(contactConsents.workspaceId, input.workspaceId), eq(contactConsents.contactId, input.contactId)));
  const byChannel = new Map(rows.map((row) => [row.channel, row]));
  return channels.map((channel) => {
    const row = byChannel.get(channel);
    return { channel, status: row?.status ?? null, source: row?.source ?? null, updatedAt: row?.updatedAt ?? null };
  });
}

export async function consentFor(db: Db, input: { workspaceId: string; contactId: string; channel: Channel }) {
  const [row] = await db
    .select()
    .from(contactConsents)
    .where(
      and(eq(contactConsents.workspaceId, input.workspaceId), eq(contactConsents.contactId, input.contactId), eq(contactConsents.channel, input.channel)),
    );
  return row;
}

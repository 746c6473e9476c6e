import type { Db } from "@/db/client";
import { eventNames, eventPropertyKeys } from "@/db/queries/segment-views";
import { listAttributes } from "@/lib/contacts/attribute-catalogue";
import { listSegments } from "@/lib/segments/manage";
import type { BuilderCatalogue } from "./rule-builder";

/**
 * What the rule builder offers: attributes by type, event names seen (with the property keys
 * of the 50 most recently seen), other segments.
 */
export async function loadCatalogue(db: Db, workspaceId: string, exceptSegmentId?: string): Promise<BuilderCatalogue> {
  const [attributes, events, segments] = await Promise.all([listAttributes(db, workspaceId), eventNames(db, workspaceId), listSegments(db, workspaceId)]);
  const eventProperties = await eventPropertyKeys(db, workspaceId, events.slice(0, 50));
  return {
    attributes: attributes.map((attribute) => ({ key: attribute.key, type: attribute.type })),
    eventNames: events,
    eventProperties,
    segments: segments.filter((segment) => segment.id !== exceptSegmentId).map((segment) => ({ id: segment.id, name: segment.name })),
  };
}

import type { Db } from "@/db/client";
import { eventNames } from "@/db/queries/segment-views";
import { listAttributes } from "@/lib/contacts/attribute-catalogue";
import { listSegments } from "@/lib/segments/manage";
import type { BuilderCatalogue } from "./rule-builder";

/** What the rule builder offers: attributes by type, event names seen, other segments. */
export async function loadCatalogue(db: Db, workspaceId: string, exceptSegmentId?: string): Promise<BuilderCatalogue> {
  const [attributes, events, segments] = await Promise.all([listAttributes(db, workspaceId), eventNames(db, workspaceId), listSegments(db, workspaceId)]);
  return {
    attributes: attributes.map((attribute) => ({ key: attribute.key, type: attribute.type })),
    eventNames: events,
    segments: segments.filter((segment) => segment.id !== exceptSegmentId).map((segment) => ({ id: segment.id, name: segment.name })),
  };
}

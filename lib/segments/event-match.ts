import type { AttributeType, JsonObject } from "@/db/schema";
import { evaluateRule } from "./evaluate";

/**
 * Does one event satisfy a `where` rule on its properties (the rule language, as inside
 * `performed`)? Journeys' triggers and waits and behaviour monitors ask this of each event as
 * it is processed, with the same semantics a segment's `performed` has.
 */
export function eventMatches(event: { name: string; properties: JsonObject }, where: unknown, attributes: Map<string, AttributeType>, now: Date): boolean {
  if (where === undefined || where === null) return true;
  return evaluateRule(
    { performed: { event: event.name, where } },
    { fields: {}, attributes: {}, tags: [], events: [{ name: event.name, properties: event.properties, timestamp: now }], memberships: [] },
    { attributes, now },
  );
}

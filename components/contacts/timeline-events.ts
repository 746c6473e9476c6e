import type { JsonObject } from "@/db/schema";

/** An event as the timeline receives it over the wire (dates as ISO strings). */
export interface TimelineEvent {
  id: number;
  type: string;
  name: string | null;
  timestamp: string;
  properties: JsonObject;
  traits: JsonObject;
  context: JsonObject;
}

export interface TimelinePage {
  events: TimelineEvent[];
  nextCursor: string | null;
}

export function serializeEvents(
  events: Array<Omit<TimelineEvent, "timestamp"> & { timestamp: Date }>,
): TimelineEvent[] {
  return events.map((event) => ({
    id: event.id,
    type: event.type,
    name: event.name,
    timestamp: event.timestamp.toISOString(),
    properties: event.properties,
    traits: event.traits,
    context: event.context,
  }));
}

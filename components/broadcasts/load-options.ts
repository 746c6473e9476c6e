import type { Db } from "@/db/client";
import { eventNames } from "@/db/queries/segment-views";
import type { Workspace } from "@/db/schema";
import { listTemplates } from "@/lib/messages/templates";
import { listTopics } from "@/lib/messages/topics";
import { listSegments } from "@/lib/segments/manage";
import type { FormOptions } from "./draft";

/** What the broadcast form offers: templates with a saved version, topics, segments and lists, event names seen. */
export async function loadFormOptions(db: Db, workspace: Workspace): Promise<FormOptions> {
  const [templates, topics, segments, events] = await Promise.all([listTemplates(db, workspace.id), listTopics(db, workspace.id), listSegments(db, workspace.id), eventNames(db, workspace.id, 50)]);
  return {
    templates: templates
      .filter((template) => template.currentVersion >= 1)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((template) => ({ id: template.id, name: template.name, channel: template.channel, currentVersion: template.currentVersion })),
    topics: topics.map((topic) => ({ id: topic.id, name: topic.name })),
    segments: segments
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((segment) => ({ id: segment.id, name: segment.name, kind: segment.kind, memberCount: segment.memberCount })),
    eventNames: events,
    timezone: workspace.timezone,
  };
}

import type { Db } from "@/db/client";
import { eventNames } from "@/db/queries/segment-views";
import { listMembers } from "@/db/queries/workspaces";
import type { Workspace } from "@/db/schema";
import { listAttributes } from "@/lib/contacts/attribute-catalogue";
import { listTemplates } from "@/lib/messages/templates";
import { listCampaigns } from "@/lib/rewards/coupons";
import { listSegments } from "@/lib/segments/manage";
import type { SummaryNames } from "./node-summary";
import type { JourneyOptions } from "./types";

/** What the canvas's forms offer: templates, segments and lists, event names seen, members, the attribute catalogue. */
export async function loadJourneyOptions(db: Db, workspace: Workspace): Promise<JourneyOptions> {
  const [templates, segments, events, members, attributes, campaigns] = await Promise.all([
    listTemplates(db, workspace.id),
    listSegments(db, workspace.id),
    eventNames(db, workspace.id, 200),
    listMembers(db, workspace.id),
    listAttributes(db, workspace.id),
    listCampaigns(db, workspace.id),
  ]);
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return {
    templates: templates.map((template) => ({ id: template.id, name: template.name, channel: template.channel, ready: template.currentVersion >= 1 })).sort(byName),
    segments: segments.map((segment) => ({ id: segment.id, name: segment.name, kind: segment.kind })).sort(byName),
    eventNames: events,
    members: members.map((member) => ({ id: member.userId, name: member.name, email: member.email })),
    attributes: attributes.map((attribute) => ({ key: attribute.key, type: attribute.type })),
    campaigns: campaigns.filter((campaign) => campaign.status === "active").map((campaign) => ({ id: campaign.id, name: campaign.name })).sort(byName),
    timezone: workspace.timezone,
  };
}

/** Names for the ids node summaries mention (archived templates too: old versions may send them). */
export async function loadSummaryNames(db: Db, workspaceId: string): Promise<SummaryNames> {
  const [templates, archived, segments, members, campaigns] = await Promise.all([
    listTemplates(db, workspaceId),
    listTemplates(db, workspaceId, { archived: true }),
    listSegments(db, workspaceId),
    listMembers(db, workspaceId),
    listCampaigns(db, workspaceId),
  ]);
  return {
    templates: new Map([...templates, ...archived].map((template) => [template.id, template.name])),
    segments: new Map(segments.map((segment) => [segment.id, segment.name])),
    members: new Map(members.map((member) => [member.userId, member.name ?? member.email])),
    campaigns: new Map(campaigns.map((campaign) => [campaign.id, campaign.name])),
  };
}

import type { Db } from "@/db/client";
import { eventNames } from "@/db/queries/segment-views";
import type { Workspace } from "@/db/schema";
import { listTemplates } from "@/lib/messages/templates";
import { listCampaigns } from "@/lib/rewards/coupons";
import { listSegments } from "@/lib/segments/manage";
import type { MonitorOptions } from "./draft";

/** What the monitor form offers: event names seen, segments, active coupon campaigns with their stock, templates with a saved version. */
export async function loadMonitorOptions(db: Db, workspace: Workspace): Promise<MonitorOptions> {
  const [events, segments, campaigns, templates] = await Promise.all([eventNames(db, workspace.id, 200), listSegments(db, workspace.id), listCampaigns(db, workspace.id), listTemplates(db, workspace.id)]);
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return {
    eventNames: events.filter((name) => name !== "monitor.matched"),
    segments: segments.map((segment) => ({ id: segment.id, name: segment.name })).sort(byName),
    campaigns: campaigns.filter((campaign) => campaign.status === "active").map((campaign) => ({ id: campaign.id, name: campaign.name, available: campaign.available })),
    templates: templates
      .filter((template) => template.currentVersion >= 1)
      .map((template) => ({ id: template.id, name: template.name, channel: template.channel }))
      .sort(byName),
    timezone: workspace.timezone,
  };
}

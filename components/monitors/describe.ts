import type { Monitor, MonitorAction } from "@/db/schema";

// A monitor in words ("Order Completed at least 3 times in the last 30 days, once per window"),
// for the list, its page and the editor's summary. `t` is the "monitors" translator, from
// getTranslations on the server or useTranslations in the browser.

type Translate = (key: string, values?: Record<string, string | number>) => string;

export type Describable = Pick<Monitor, "event" | "statistic" | "property" | "threshold" | "window" | "limit"> & { actions: readonly MonitorAction[] };

export interface ActionNames {
  campaigns: Map<string, string>;
  templates: Map<string, string>;
  /** The workspace's name for points ("stars"), or null for the default word. */
  pointsName: string | null;
}

export function describeRule(t: Translate, monitor: Pick<Describable, "event" | "statistic" | "property" | "threshold">): string {
  const values = { event: monitor.event, threshold: monitor.threshold, property: monitor.property ?? "" };
  if (monitor.statistic === "count") return t("describe.count", values);
  if (monitor.statistic === "sum") return t("describe.sum", values);
  if (monitor.property === "$day") return t("describe.days", values);
  return t("describe.distinct", values);
}

export function describeWindow(t: Translate, window: Describable["window"]): string {
  if (window.kind === "rolling") return t(`describe.rolling.${window.unit}`, { amount: window.amount });
  if (window.kind === "calendar") return t(`describe.calendar.${window.unit}`);
  return t("describe.lifetime");
}

export function describeLimit(t: Translate, limit: Describable["limit"]): string {
  if (limit.kind === "at_most") return t("describe.atMost", { count: limit.count });
  return t(limit.kind === "once" ? "describe.once" : "describe.oncePerWindow");
}

export function describeAction(t: Translate, action: MonitorAction, names: ActionNames): string {
  switch (action.type) {
    case "points": {
      const points = names.pointsName ? t("describe.pointsNamed", { amount: action.amount, name: names.pointsName }) : t("describe.points", { amount: action.amount });
      return action.expiresInDays ? t("describe.pointsExpire", { points, days: action.expiresInDays }) : points;
    }
    case "coupon":
      return t("describe.coupon", { campaign: names.campaigns.get(action.campaignId) ?? t("describe.unknownCampaign") });
    case "message":
      return t("describe.message", { template: names.templates.get(action.templateId) ?? t("describe.unknownTemplate") });
    case "tag":
      return t("describe.tag", { tag: action.tag });
    case "event":
      return t("describe.event");
  }
}

/** "Order Completed at least 3 times in the last 30 days" */
export function describeMonitor(t: Translate, monitor: Describable): string {
  return t("describe.sentence", { rule: describeRule(t, monitor), window: describeWindow(t, monitor.window) });
}

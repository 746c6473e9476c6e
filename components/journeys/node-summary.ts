import type { JourneyNode } from "@/lib/journeys/graph";

/** A translator over the "journeys" namespace (useTranslations or getTranslations). */
export interface Say {
  (key: string, values?: Record<string, string | number>): string;
  has?: (key: string) => boolean;
}

/** Names the summaries use for ids. */
export interface SummaryNames {
  templates: Map<string, string>;
  segments: Map<string, string>;
  members: Map<string, string>;
  campaigns: Map<string, string>;
}

const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");
const num = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

export function durationText(say: Say, value: unknown): string | undefined {
  if (!value || typeof value !== "object") return undefined;
  const { amount, unit } = value as { amount?: unknown; unit?: unknown };
  if (num(amount) === undefined || (unit !== "minutes" && unit !== "hours" && unit !== "days")) return undefined;
  return say("summary.duration", { amount: num(amount)!, unit });
}

function weekdayList(say: Say, days: unknown): string {
  if (!Array.isArray(days)) return "";
  return [...days]
    .filter((day): day is number => typeof day === "number")
    .sort()
    .map((day) => say(`weekdaysShort.${day}`))
    .join(", ");
}

/** One line that says what a node does with its settings, in the reader's language. */
export function nodeSummary(node: Pick<JourneyNode, "type" | "data">, say: Say, names: SummaryNames): string {
  const data = node.data as Record<string, unknown>;
  switch (node.type) {
    case "trigger": {
      switch (data.kind) {
        case "event":
          return text(data.event) ? say("summary.triggerEvent", { event: text(data.event) }) : say("summary.triggerEventMissing");
        case "segment":
          return data.segmentId ? say("summary.triggerSegment", { segment: names.segments.get(String(data.segmentId)) ?? say("summary.unknown") }) : say("summary.triggerSegmentMissing");
        case "date": {
          if (!text(data.attribute)) return say("summary.triggerDateMissing");
          const offset = num(data.offsetDays) ?? 0;
          const attribute = text(data.attribute);
          const when =
            offset === 0 ? say("summary.triggerDateOn", { attribute }) : say(offset < 0 ? "summary.triggerDateBefore" : "summary.triggerDateAfter", { attribute, days: Math.abs(offset) });
          return data.yearly ? say("summary.everyYear", { when }) : when;
        }
        case "form":
          return text(data.formId) ? say("summary.triggerForm", { form: text(data.formId) }) : say("summary.triggerFormMissing");
        case "manual":
          return say("summary.triggerManual");
        default:
          return say("summary.triggerMissing");
      }
    }
    case "delay":
      if (data.mode === "until") {
        const days = weekdayList(say, data.weekdays);
        return days && text(data.time) ? say("summary.delayUntil", { days, time: text(data.time) }) : say("summary.delayMissing");
      }
      return durationText(say, data.duration) ? say("summary.delay", { duration: durationText(say, data.duration)! }) : say("summary.delayMissing");
    case "wait": {
      const timeout = durationText(say, data.timeout) ?? "…";
      if (data.for === "segment") {
        return data.segmentId ? say("summary.waitSegment", { segment: names.segments.get(String(data.segmentId)) ?? say("summary.unknown"), timeout }) : say("summary.waitMissing");
      }
      return text(data.event) ? say("summary.waitEvent", { event: text(data.event), timeout }) : say("summary.waitMissing");
    }
    case "condition":
      return data.rule === undefined || data.rule === null ? say("summary.conditionMissing") : say("summary.condition");
    case "split": {
      const branches = Array.isArray(data.branches) ? (data.branches as Array<{ key?: unknown; weight?: unknown }>) : [];
      if (branches.length === 0) return say("summary.splitMissing");
      return branches.map((branch) => `${String(branch.key ?? "?").toUpperCase()} ${num(branch.weight) ?? 0}%`).join(" · ");
    }
    case "send":
      return data.templateId ? say("summary.send", { template: names.templates.get(String(data.templateId)) ?? say("summary.unknown") }) : say("summary.sendMissing");
    case "update":
      switch (data.action) {
        case "set_attribute":
          return text(data.key) ? say("summary.setAttribute", { key: text(data.key), value: data.value === null || data.value === undefined ? "∅" : String(data.value) }) : say("summary.updateMissing");
        case "add_tag":
          return text(data.tag) ? say("summary.addTag", { tag: text(data.tag) }) : say("summary.updateMissing");
        case "remove_tag":
          return text(data.tag) ? say("summary.removeTag", { tag: text(data.tag) }) : say("summary.updateMissing");
        case "set_lifecycle_stage":
          return text(data.stage) ? say("summary.setStage", { stage: say(`stages.${text(data.stage)}`) }) : say("summary.updateMissing");
        default:
          return say("summary.updateMissing");
      }
    case "webhook": {
      try {
        return say("summary.webhook", { host: new URL(text(data.url)).host });
      } catch {
        return say("summary.webhookMissing");
      }
    }
    case "reward":
      if (data.kind === "coupon") {
        return data.campaignId ? say("summary.rewardCoupon", { campaign: names.campaigns.get(String(data.campaignId)) ?? say("summary.unknown") }) : say("summary.rewardMissing");
      }
      return num(data.amount) ? say("summary.rewardPoints", { amount: num(data.amount)! }) : say("summary.rewardMissing");
    case "task":
      return text(data.title)
        ? say("summary.task", { title: text(data.title), member: names.members.get(String(data.assigneeId)) ?? say("summary.nobody") })
        : say("summary.taskMissing");
    case "exit":
      return say("summary.exit");
  }
}

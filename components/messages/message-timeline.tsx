import { getFormatter, getTranslations } from "next-intl/server";
import { BotIcon, CircleIcon } from "lucide-react";
import type { MessageEvent } from "@/db/schema";
import { Badge } from "@/components/ui/badge";
import { ReasonText } from "./reason-text";

const eventTone: Record<string, string> = {
  queued: "text-muted-foreground",
  deferred: "text-amber-600",
  retry: "text-amber-600",
  suppressed: "text-amber-600",
  sent: "text-sky-600",
  delivered: "text-teal-600",
  opened: "text-emerald-600",
  clicked: "text-emerald-700",
  unsubscribed: "text-amber-700",
  bounced: "text-red-600",
  complained: "text-red-600",
  failed: "text-red-600",
};

function detailsLine(event: MessageEvent): string | undefined {
  const details = event.details ?? {};
  const parts: string[] = [];
  for (const key of ["url", "adapter", "until", "provider", "code"]) {
    const value = details[key];
    if (typeof value === "string" || typeof value === "number") parts.push(key === "url" ? String(value) : `${key}: ${value}`);
  }
  return parts.length ? parts.join(" · ") : undefined;
}

/** A message's status history, oldest first, in the contact's time zone. */
export async function MessageTimeline({ events, timeZone }: { events: MessageEvent[]; timeZone: string }) {
  const t = await getTranslations("messages");
  const format = await getFormatter();
  if (events.length === 0) return <p className="text-muted-foreground text-sm">{t("timeline.none")}</p>;
  return (
    <ol className="grid gap-0" data-testid="message-timeline">
      {events.map((event, index) => {
        const line = detailsLine(event);
        const agent = typeof event.details?.userAgent === "string" ? event.details.userAgent : typeof event.details?.user_agent === "string" ? event.details.user_agent : undefined;
        return (
          <li key={event.id} className="relative flex gap-3 pb-4 last:pb-0" data-testid="timeline-event" data-type={event.type}>
            {index < events.length - 1 ? <span className="bg-border absolute top-4 left-[7px] h-full w-px" aria-hidden /> : null}
            <CircleIcon className={`mt-0.5 size-4 shrink-0 fill-current ${eventTone[event.type] ?? "text-muted-foreground"}`} aria-hidden />
            <div className="grid min-w-0 gap-0.5">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-medium">{t.has(`events.${event.type}` as never) ? t(`events.${event.type}` as never) : event.type}</span>
                {event.bot ? (
                  <Badge variant="outline" className="gap-1" data-testid="bot-flag">
                    <BotIcon />
                    {t("timeline.bot")}
                  </Badge>
                ) : null}
                <time dateTime={event.at.toISOString()} title={`${event.at.toISOString()} (${timeZone})`} className="text-muted-foreground text-xs">
                  {format.dateTime(event.at, { dateStyle: "medium", timeStyle: "medium", timeZone })}
                </time>
              </div>
              {event.reason ? (
                <p className="text-sm">
                  <ReasonText reason={event.reason} />
                </p>
              ) : null}
              {line ? <p className="text-muted-foreground truncate font-mono text-xs" title={line}>{line}</p> : null}
              {agent ? <p className="text-muted-foreground truncate text-xs" title={agent}>{agent}</p> : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

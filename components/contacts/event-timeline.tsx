"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import {
  ActivityIcon,
  ChevronRightIcon,
  FileTextIcon,
  FingerprintIcon,
  BuildingIcon,
  Link2Icon,
  Loader2Icon,
  MonitorSmartphoneIcon,
  ZapIcon,
} from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { TimelineEvent, TimelinePage } from "./timeline-events";

const icons: Record<string, React.ComponentType<{ className?: string }>> = {
  track: ZapIcon,
  page: FileTextIcon,
  screen: MonitorSmartphoneIcon,
  identify: FingerprintIcon,
  group: BuildingIcon,
  alias: Link2Icon,
};

// Newest first; the next page loads when the end of the list scrolls into view (or on the button).
export function EventTimeline({
  workspaceId,
  contactId,
  timeZone,
  initial,
}: {
  workspaceId: string;
  contactId: string;
  timeZone: string;
  initial: TimelinePage;
}) {
  const t = useTranslations("contacts.timeline");
  const [events, setEvents] = useState(initial.events);
  const [cursor, setCursor] = useState(initial.nextCursor);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const sentinel = useRef<HTMLDivElement>(null);
  const busy = useRef(false);

  const loadMore = useCallback(async () => {
    if (!cursor || busy.current) return;
    busy.current = true;
    setLoading(true);
    setFailed(false);
    try {
      const url = `/api/ui/contacts/${contactId}/events?workspace=${workspaceId}&cursor=${encodeURIComponent(cursor)}`;
      const response = await fetch(url, { headers: { accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const page = (await response.json()) as TimelinePage;
      setEvents((current) => {
        const seen = new Set(current.map((event) => event.id));
        return [...current, ...page.events.filter((event) => !seen.has(event.id))];
      });
      setCursor(page.nextCursor);
    } catch {
      setFailed(true);
    } finally {
      busy.current = false;
      setLoading(false);
    }
  }, [contactId, workspaceId, cursor]);

  useEffect(() => {
    const target = sentinel.current;
    if (!target || !cursor || failed) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void loadMore();
    }, { rootMargin: "400px" });
    observer.observe(target);
    return () => observer.disconnect();
  }, [cursor, failed, loadMore]);

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
        <CardDescription>{t("description", { timeZone })}</CardDescription>
      </CardHeader>
      <CardContent>
        {events.length === 0 ? (
          <div className="text-muted-foreground flex flex-col items-center gap-2 rounded-lg border border-dashed p-8 text-center text-sm">
            <ActivityIcon className="size-6" aria-hidden />
            {t("empty")}
          </div>
        ) : (
          <ol className="grid" data-testid="event-timeline">
            {events.map((event) => (
              <EventItem key={event.id} event={event} timeZone={timeZone} />
            ))}
          </ol>
        )}
        <div ref={sentinel} className="flex flex-col items-center gap-2 pt-4" aria-live="polite">
          {loading ? (
            <p className="text-muted-foreground flex items-center gap-2 text-sm">
              <Loader2Icon className="size-4 animate-spin" aria-hidden />
              {t("loading")}
            </p>
          ) : failed ? (
            <>
              <p role="alert" className="text-destructive text-sm">
                {t("failed")}
              </p>
              <Button variant="outline" size="sm" onClick={() => void loadMore()}>
                {t("retry")}
              </Button>
            </>
          ) : cursor ? (
            <Button variant="outline" size="sm" onClick={() => void loadMore()}>
              {t("loadMore")}
            </Button>
          ) : events.length > 0 ? (
            <p className="text-muted-foreground text-xs">{t("end", { count: events.length })}</p>
          ) : null}
        </div>
      </CardContent>
    </Card>
  );
}

function EventItem({ event, timeZone }: { event: TimelineEvent; timeZone: string }) {
  const t = useTranslations("contacts.timeline");
  const format = useFormatter();
  const Icon = icons[event.type] ?? ActivityIcon;
  const at = new Date(event.timestamp);
  const type = t.has(`types.${event.type}` as never) ? t(`types.${event.type}` as never) : event.type;
  // A track call is its event name; the other calls are what they did (in the reader's
  // language), then which page, screen or company.
  const view = event.type === "page" || event.type === "screen";
  const title = event.type === "track" ? (event.name ?? type) : type;
  const where = view
    ? firstText(event.properties, ["name", "path", "url"])
    : event.type === "group"
      ? firstText(event.traits, ["name", "groupId"])
      : undefined;
  const sections = [
    { label: t("properties"), value: event.properties },
    { label: t("traits"), value: event.traits },
    { label: t("context"), value: event.context },
  ].filter((section) => Object.keys(section.value).length > 0);

  return (
    <li className="relative border-l pb-4 pl-6 last:pb-0" data-testid="timeline-event">
      <span className="bg-background absolute top-0 -left-3 flex size-6 items-center justify-center rounded-full border">
        <Icon className="text-muted-foreground size-3" />
      </span>
      <div className="flex flex-wrap items-baseline gap-x-2">
        <span className="font-medium">{title}</span>
        {where ? <span className="min-w-0 truncate text-sm">{where}</span> : null}
        <time dateTime={event.timestamp} className="text-muted-foreground ml-auto text-xs">
          {format.dateTime(at, { dateStyle: "medium", timeStyle: "medium", timeZone })}
        </time>
      </div>
      {sections.length > 0 ? (
        <details className="group mt-1">
          <summary className="text-muted-foreground hover:text-foreground flex w-fit cursor-pointer list-none items-center gap-1 text-xs [&::-webkit-details-marker]:hidden">
            <ChevronRightIcon className="size-3 transition-transform group-open:rotate-90" aria-hidden />
            {t("details")}
          </summary>
          <div className="mt-2 grid gap-2">
            {sections.map((section) => (
              <div key={section.label} className="grid gap-1">
                <p className="text-xs font-medium">{section.label}</p>
                <pre className="bg-muted overflow-x-auto rounded-md p-2 font-mono text-xs">{JSON.stringify(section.value, null, 2)}</pre>
              </div>
            ))}
          </div>
        </details>
      ) : null}
    </li>
  );
}

function firstText(values: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = values[key];
    if (typeof value === "string" && value.trim()) return value;
  }
  return undefined;
}

"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { CoinsIcon, MailIcon, TagIcon, TicketIcon, TriangleAlertIcon, ZapIcon } from "lucide-react";
import type { Json } from "@/db/schema";

type Results = Record<string, Json | undefined>;

const object = (value: Json | undefined): Record<string, Json | undefined> | undefined => (value && typeof value === "object" && !Array.isArray(value) ? value : undefined);

/** What a match's actions did (monitor_matches.results): points given, the coupon's code, the message queued, the tag, the event; refusals in red. */
export function MatchResults({ results, slug, pointsName }: { results: Json; slug: string; pointsName: string | null }) {
  const t = useTranslations("monitors.results");
  const tErrors = useTranslations("errors.codes");
  const format = useFormatter();
  const all = (object(results) ?? {}) as Results;
  const items: React.ReactNode[] = [];
  const points = object(all.points);
  if (points && typeof points.amount === "number") {
    items.push(
      <li key="points" className="flex items-center gap-1.5">
        <CoinsIcon className="size-3.5 shrink-0 text-amber-600" aria-hidden />
        {pointsName ? t("pointsNamed", { amount: format.number(points.amount), name: pointsName }) : t("points", { amount: format.number(points.amount) })}
      </li>,
    );
  }
  const coupon = object(all.coupon);
  if (coupon && typeof coupon.code === "string") {
    items.push(
      <li key="coupon" className="flex items-center gap-1.5">
        <TicketIcon className="size-3.5 shrink-0 text-sky-600" aria-hidden />
        {t("coupon")} <code className="bg-muted rounded px-1 font-mono text-xs">{coupon.code}</code>
      </li>,
    );
  }
  const message = object(all.message);
  if (message) {
    items.push(
      <li key="message" className="flex items-center gap-1.5">
        <MailIcon className="size-3.5 shrink-0 text-indigo-600" aria-hidden />
        {typeof message.message_id === "string" ? (
          <Link href={`/w/${slug}/messages/${message.message_id}`} className="hover:underline">
            {t("message")}
          </Link>
        ) : message.error ? (
          <span className="text-destructive">{t("messageMissing")}</span>
        ) : (
          t("messageSkipped")
        )}
      </li>,
    );
  }
  if (typeof all.tag === "string") {
    items.push(
      <li key="tag" className="flex items-center gap-1.5">
        <TagIcon className="size-3.5 shrink-0 text-emerald-600" aria-hidden />
        {t("tag", { tag: all.tag })}
      </li>,
    );
  }
  if ("event" in all) {
    items.push(
      <li key="event" className="flex items-center gap-1.5">
        <ZapIcon className="size-3.5 shrink-0 text-violet-600" aria-hidden />
        {t("event")}
      </li>,
    );
  }
  for (const [key, value] of Object.entries(all)) {
    if (!key.endsWith("_error")) continue;
    const failure = object(value);
    const code = typeof failure?.code === "string" ? failure.code : "";
    const reason = code && tErrors.has(code as never) ? tErrors(code as never) : typeof failure?.message === "string" ? failure.message : code;
    items.push(
      <li key={key} className="text-destructive flex items-center gap-1.5" data-testid="match-error">
        <TriangleAlertIcon className="size-3.5 shrink-0" aria-hidden />
        {t("failed", { action: t(`actionNames.${key.replace(/_error$/, "")}` as never), reason })}
      </li>,
    );
  }
  if (items.length === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <ul className="grid gap-0.5 text-sm" data-testid="match-results">
      {items}
    </ul>
  );
}

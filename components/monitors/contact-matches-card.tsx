import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { Json } from "@/db/schema";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DateTime } from "@/components/settings/date-time";
import { MatchResults } from "./match-results";

export interface ContactMatch {
  id: string;
  monitor_id: string;
  monitor_name: string;
  value: number;
  results: Json;
  matched_at: Date | string;
}

/** When behaviour monitors fired for the contact, and what each gave. */
export async function ContactMatchesCard({ matches, slug, timeZone, pointsName }: { matches: ContactMatch[]; slug: string; timeZone: string; pointsName: string | null }) {
  const t = await getTranslations("monitors.profile");
  return (
    <Card data-testid="monitor-matches-card">
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
        <CardDescription>{t("hint")}</CardDescription>
      </CardHeader>
      <CardContent className="text-sm">
        {matches.length === 0 ? (
          <p className="text-muted-foreground">{t("none")}</p>
        ) : (
          <ul className="grid gap-3" data-testid="contact-matches">
            {matches.map((match) => (
              <li key={match.id} className="grid gap-1">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <Link href={`/w/${slug}/monitors/${match.monitor_id}`} className="font-medium hover:underline">
                    {match.monitor_name}
                  </Link>
                  <span className="text-muted-foreground text-xs">
                    <DateTime value={new Date(match.matched_at)} timeZone={timeZone} />
                  </span>
                </div>
                <MatchResults results={match.results} slug={slug} pointsName={pointsName} />
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

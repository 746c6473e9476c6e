import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import type { Db } from "@/db/client";
import { contactScore } from "@/lib/scoring/views";
import { Badge } from "@/components/ui/badge";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DateTime } from "@/components/settings/date-time";
import { cn } from "@/lib/utils";
import { historyLabel, stageLabel } from "./history-label";

type Say = Parameters<typeof historyLabel>[1];

/** The contact's lead score on its profile: the score, its fit and engagement parts, the stage and the latest changes. */
export async function ContactScoreCard({ db, workspaceId, contactId, slug, timeZone }: { db: Db; workspaceId: string; contactId: string; slug: string; timeZone: string }) {
  const [score, t, format] = await Promise.all([contactScore(db, workspaceId, contactId, 10), getTranslations("scoring"), getFormatter()]);
  const say = t as unknown as Say;
  return (
    <Card data-testid="contact-score">
      <CardHeader>
        <CardTitle>{t("card.title")}</CardTitle>
        <CardDescription>
          <Badge variant="outline" data-testid="contact-score-stage">
            {stageLabel(score.stage, say)}
          </Badge>
        </CardDescription>
        <CardAction>
          <Link href={`/w/${slug}/scoring`} className="text-muted-foreground text-xs hover:underline">
            {t("card.settings")}
          </Link>
        </CardAction>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="flex items-end gap-6">
          <p className="text-4xl font-semibold tabular-nums" data-testid="contact-score-value">
            {format.number(score.score)}
          </p>
          <dl className="grid grid-cols-[auto_auto] gap-x-3 gap-y-0.5 pb-1 text-sm">
            <dt className="text-muted-foreground">{t("card.fit")}</dt>
            <dd className="text-right tabular-nums">{format.number(score.fit)}</dd>
            <dt className="text-muted-foreground">{t("card.engagement")}</dt>
            <dd className="text-right tabular-nums">{format.number(score.engagement)}</dd>
          </dl>
        </div>
        <div className="grid gap-2">
          <h3 className="text-sm font-medium">{t("card.history")}</h3>
          {score.history.length === 0 ? (
            <p className="text-muted-foreground text-sm">{t("card.empty")}</p>
          ) : (
            <ul className="grid gap-1.5 text-sm" data-testid="contact-score-history">
              {score.history.map((row) => (
                <li key={row.id} className="grid grid-cols-[3.5rem_1fr] items-baseline gap-2">
                  <span className={cn("text-right font-mono text-xs tabular-nums", row.delta > 0 ? "text-emerald-700 dark:text-emerald-400" : row.delta < 0 ? "text-destructive" : "text-muted-foreground")}>
                    {row.delta > 0 ? "+" : ""}
                    {row.kind === "stage" ? "·" : format.number(row.delta)}
                  </span>
                  <span className="min-w-0">
                    <span className="block truncate">{historyLabel(row, say)}</span>
                    <span className="text-muted-foreground text-xs">
                      <DateTime value={row.at} timeZone={timeZone} /> · {format.number(row.scoreAfter)}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </CardContent>
    </Card>
  );
}

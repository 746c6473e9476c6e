import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { RouteIcon } from "lucide-react";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { listJourneys } from "@/lib/journeys/manage";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/shell/empty-state";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/settings/date-time";
import { JourneyStatusBadge } from "@/components/journeys/status-badge";
import { NewJourneyButton } from "@/components/journeys/new-journey-button";
import { cn } from "@/lib/utils";
import { createJourneyAction } from "./actions";

export const metadata: Metadata = { title: "Journeys" };

export default async function JourneysPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("journeys");
  const format = await getFormatter();
  const journeys = await listJourneys(db, workspace.id);
  const base = `/w/${workspace.slug}/journeys`;
  const canEdit = hasRole(role, "marketer");
  const newButton = canEdit ? <NewJourneyButton workspaceId={workspace.id} slug={workspace.slug} create={createJourneyAction} /> : null;

  return (
    <>
      <PageHeader title={t("list.title")} description={t("list.description")} />
      <div className="grid gap-4 p-6">
        {journeys.length === 0 ? (
          <EmptyState
            testId="journeys-empty"
            icon={RouteIcon}
            title={t("empty.title")}
            body={
              <>
                <p>{t("empty.body")}</p>
                <p>{t("empty.example")}</p>
              </>
            }
          >
            {canEdit ? (
              <NewJourneyButton workspaceId={workspace.id} slug={workspace.slug} create={createJourneyAction} label={t("empty.create")} />
            ) : (
              <p className="text-muted-foreground text-sm">{t("empty.askMarketer")}</p>
            )}
          </EmptyState>
        ) : (
          <>
            {newButton ? <div className="flex justify-end">{newButton}</div> : null}
            <Card className="py-0">
              <CardContent className="px-0">
                <Table data-testid="journeys-table">
                  <TableHeader>
                    <TableRow>
                      <TableHead className="pl-4">{t("list.name")}</TableHead>
                      <TableHead>{t("list.status")}</TableHead>
                      <TableHead className="text-right">{t("list.version")}</TableHead>
                      <TableHead className="text-right">{t("list.inJourney")}</TableHead>
                      <TableHead className="text-right">{t("list.entered")}</TableHead>
                      <TableHead className="text-right">{t("list.converted")}</TableHead>
                      <TableHead className="pr-4">{t("list.updated")}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {journeys.map((journey) => (
                      <TableRow key={journey.id} data-journey={journey.id}>
                        <TableCell className="max-w-80 pl-4">
                          <Link href={`${base}/${journey.id}`} className="block truncate font-medium hover:underline">
                            {journey.name}
                          </Link>
                          {journey.description ? <span className="text-muted-foreground block truncate text-xs">{journey.description}</span> : null}
                        </TableCell>
                        <TableCell>
                          <JourneyStatusBadge status={journey.status} />
                        </TableCell>
                        <TableCell className="text-muted-foreground text-right tabular-nums">{journey.version ? t("list.versionN", { version: journey.version }) : "—"}</TableCell>
                        <TableCell className="text-right tabular-nums" data-testid="journey-in">
                          {format.number(journey.inJourney)}
                        </TableCell>
                        <TableCell className="text-right tabular-nums" data-testid="journey-entered">
                          {format.number(journey.entered)}
                        </TableCell>
                        <TableCell className="text-right tabular-nums" data-testid="journey-converted">
                          <span className="grid">
                            <span>{format.number(journey.converted)}</span>
                            <span className={cn("text-muted-foreground text-xs", journey.entered === 0 && "sr-only")}>
                              {journey.entered > 0 ? format.number(journey.converted / journey.entered, { style: "percent", maximumFractionDigits: 1 }) : "—"}
                            </span>
                          </span>
                        </TableCell>
                        <TableCell className="text-muted-foreground pr-4 text-sm">
                          <DateTime value={journey.updatedAt} timeZone={workspace.timezone} />
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </CardContent>
            </Card>
          </>
        )}
      </div>
    </>
  );
}

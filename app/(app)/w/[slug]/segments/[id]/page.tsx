import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { ChevronRightIcon, LogInIcon, LogOutIcon, PencilIcon } from "lucide-react";
import { decodeCursor } from "@/db/queries/contacts";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { getSegment, listMembers, segmentActivity } from "@/lib/segments/manage";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/settings/date-time";
import { SizeChart } from "@/components/segments/size-chart";
import { DeleteSegmentButton, RecomputeButton } from "@/components/segments/segment-actions";
import { ListMembersEditor } from "@/components/segments/list-members-editor";
import { changeListMembersAction, deleteSegmentAction, recomputeSegmentAction } from "../actions";

export const metadata: Metadata = { title: "Segment" };

const pageSize = 25;

export default async function SegmentPage({ params, searchParams }: { params: Promise<{ slug: string; id: string }>; searchParams: Promise<{ cursor?: string }> }) {
  const { slug, id } = await params;
  const { cursor: rawCursor } = await searchParams;
  const { db, workspace, role } = await requireWorkspace(slug);
  const segment = await getSegment(db, workspace.id, id);
  if (!segment) notFound();
  const t = await getTranslations("segments");
  const format = await getFormatter();
  // A hand-edited cursor starts the members over instead of failing the page.
  const cursor = typeof decodeCursor(rawCursor)?.[0] === "string" ? rawCursor : undefined;
  const [page, activity] = await Promise.all([listMembers(db, workspace.id, segment.id, { limit: pageSize, cursor }), segmentActivity(db, workspace.id, segment.id)]);
  const base = `/w/${workspace.slug}/segments`;
  const canEdit = hasRole(role, "marketer");
  const contactHref = (contactId: string) => `/w/${workspace.slug}/contacts/${contactId}`;

  return (
    <>
      <PageHeader title={segment.name} description={segment.description ?? undefined} />
      <div className="grid gap-4 p-6">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="grid gap-1 text-sm">
            <div className="flex items-center gap-2">
              <Badge variant={segment.kind === "dynamic" ? "secondary" : "outline"}>{t(`kinds.${segment.kind}`)}</Badge>
              <span className="font-medium tabular-nums" data-testid="member-count">
                {t("page.memberCount", { count: segment.memberCount, formatted: format.number(segment.memberCount) })}
              </span>
            </div>
            <span className="text-muted-foreground">
              {segment.computedAt ? t.rich("page.computedAt", { time: () => <DateTime value={segment.computedAt} timeZone={workspace.timezone} /> }) : t("list.pending")}
            </span>
            {segment.error ? <span className="text-destructive">{t("list.error", { error: segment.error })}</span> : null}
          </div>
          {canEdit ? (
            <div className="flex flex-wrap items-start gap-2">
              {segment.kind === "dynamic" ? <RecomputeButton workspaceId={workspace.id} segmentId={segment.id} action={recomputeSegmentAction} /> : null}
              <Button asChild variant="outline">
                <Link href={`${base}/${segment.id}/edit`}>
                  <PencilIcon />
                  {t("page.edit")}
                </Link>
              </Button>
              <DeleteSegmentButton workspaceId={workspace.id} segment={{ id: segment.id, name: segment.name }} listHref={base} action={deleteSegmentAction} />
            </div>
          ) : null}
        </div>

        <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
          <Card>
            <CardHeader>
              <CardTitle>{t("page.sizeOverTime")}</CardTitle>
            </CardHeader>
            <CardContent>
              {activity.sizes.length > 0 ? (
                <SizeChart sizes={activity.sizes.map((size) => ({ at: new Date(size.at).toISOString(), members: size.members }))} timeZone={workspace.timezone} />
              ) : (
                <p className="text-muted-foreground text-sm">{t("page.noSizes")}</p>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>{t("page.rule")}</CardTitle>
            </CardHeader>
            <CardContent>
              {segment.kind === "dynamic" ? (
                <pre className="bg-muted max-h-64 overflow-auto rounded p-2 font-mono text-xs" data-testid="segment-rule">
                  {JSON.stringify(segment.rule, null, 2)}
                </pre>
              ) : (
                <p className="text-muted-foreground text-sm">{t("page.staticRule")}</p>
              )}
            </CardContent>
          </Card>
        </div>

        {segment.kind === "static" && canEdit ? <ListMembersEditor workspaceId={workspace.id} segmentId={segment.id} action={changeListMembersAction} /> : null}

        <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
          <Card className="pb-0">
            <CardHeader>
              <CardTitle>{t("page.members")}</CardTitle>
            </CardHeader>
            <CardContent className="px-0">
              {page.members.length === 0 ? (
                <p className="text-muted-foreground px-6 pb-6 text-sm">{segment.kind === "static" ? t("page.noMembersStatic") : t("page.noMembers")}</p>
              ) : (
                <Table data-testid="members-table">
                  <TableHeader>
                    <TableRow>
                      <TableHead className="pl-6">{t("page.contact")}</TableHead>
                      <TableHead>{t("page.externalId")}</TableHead>
                      <TableHead className="pr-6">{t("page.memberSince")}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {page.members.map((member) => (
                      <TableRow key={member.id}>
                        <TableCell className="pl-6">
                          <Link className="font-medium hover:underline" href={contactHref(member.id)}>
                            {member.email ?? ([member.firstName, member.lastName].filter(Boolean).join(" ") || member.id)}
                          </Link>
                        </TableCell>
                        <TableCell className="text-muted-foreground font-mono text-xs">{member.externalId}</TableCell>
                        <TableCell className="text-muted-foreground pr-6 text-sm">
                          <DateTime value={member.enteredAt} timeZone={workspace.timezone} />
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
              {cursor || page.nextCursor ? (
                <div className="flex justify-end gap-2 border-t px-6 py-3">
                  {cursor ? (
                    <Button asChild variant="outline" size="sm">
                      <Link href={`${base}/${segment.id}`}>{t("page.firstPage")}</Link>
                    </Button>
                  ) : null}
                  {page.nextCursor ? (
                    <Button asChild variant="outline" size="sm">
                      <Link href={`${base}/${segment.id}?cursor=${encodeURIComponent(page.nextCursor)}`}>
                        {t("page.nextPage")}
                        <ChevronRightIcon />
                      </Link>
                    </Button>
                  ) : null}
                </div>
              ) : null}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>{t("page.recent")}</CardTitle>
            </CardHeader>
            <CardContent>
              {activity.recent.length === 0 ? (
                <p className="text-muted-foreground text-sm">{t("page.noRecent")}</p>
              ) : (
                <ul className="grid gap-2 text-sm" data-testid="recent-changes">
                  {activity.recent.slice(0, 20).map((change) => {
                    const exited = change.exited_at !== null;
                    const at = new Date(exited ? change.exited_at! : change.entered_at);
                    return (
                      <li key={`${change.contact_id}-${at.getTime()}`} className="flex items-start gap-2">
                        {exited ? <LogOutIcon className="text-muted-foreground mt-0.5 size-4 shrink-0" aria-hidden /> : <LogInIcon className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden />}
                        <div className="grid min-w-0">
                          <span className="truncate">
                            {t(exited ? "page.exited" : "page.entered")}{" "}
                            <Link className="font-medium hover:underline" href={contactHref(change.contact_id)}>
                              {change.email ?? change.external_id ?? change.contact_id}
                            </Link>
                          </span>
                          <span className="text-muted-foreground text-xs">
                            <DateTime value={at} timeZone={workspace.timezone} />
                          </span>
                        </div>
                      </li>
                    );
                  })}
                </ul>
              )}
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  );
}

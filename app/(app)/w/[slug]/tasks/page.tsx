import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ListChecksIcon, RouteIcon } from "lucide-react";
import { journeyNamesOf, taskCounts } from "@/db/queries/task-views";
import { decodeCursor } from "@/db/queries/contacts";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { listTasks, type TaskRow } from "@/lib/tasks/manage";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/shell/empty-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { TaskButtons } from "@/components/tasks/task-buttons";
import { cn } from "@/lib/utils";
import { updateTaskAction } from "./actions";
import { taskListSchema } from "./schemas";

export const metadata: Metadata = { title: "Tasks" };

const statuses = ["open", "done", "cancelled"] as const;

export default async function TasksPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const { slug } = await params;
  const query = taskListSchema.parse(await searchParams);
  const { db, workspace, role, user } = await requireWorkspace(slug);
  const t = await getTranslations("tasks");
  const format = await getFormatter();
  const base = `/w/${workspace.slug}/tasks`;
  const canEdit = hasRole(role, "marketer");
  const mine = query.assignee === "me";
  // A hand-edited cursor starts the list over instead of failing the page.
  const cursor = decodeCursor(query.cursor) ? query.cursor : undefined;
  const [page, counts] = await Promise.all([
    listTasks(db, workspace.id, { status: query.status, assignee: mine ? user.id : undefined, limit: 50, cursor }),
    taskCounts(db, workspace.id, mine ? user.id : undefined),
  ]);
  const journeys = await journeyNamesOf(db, workspace.id, page.tasks.filter((task) => task.source === "journey" && task.sourceId).map((task) => task.sourceId!));
  const href = (patch: { status?: string; assignee?: string; cursor?: string }) => {
    const next = new URLSearchParams({ status: patch.status ?? query.status, assignee: patch.assignee ?? query.assignee });
    if (patch.cursor) next.set("cursor", patch.cursor);
    return `${base}?${next}`;
  };
  const now = new Date();
  const when = (value: Date) => format.dateTime(value, { dateStyle: "medium", timeStyle: "short", timeZone: workspace.timezone });
  const day = (value: Date) => format.dateTime(value, { dateStyle: "medium", timeZone: workspace.timezone });

  function source(task: TaskRow) {
    if (task.source === "journey" && task.sourceId) {
      return (
        <Link href={`/w/${workspace.slug}/journeys/${task.sourceId}`} className="hover:underline">
          {t("list.fromJourney", { name: journeys.get(task.sourceId) ?? t("list.deletedJourney") })}
        </Link>
      );
    }
    return t.has(`sources.${task.source}` as never) ? t(`sources.${task.source}` as never) : task.source;
  }

  return (
    <>
      <PageHeader title={t("list.title")} description={t("list.description")} />
      <div className="grid gap-4 p-6">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <nav aria-label={t("list.statusLabel")} className="bg-muted inline-flex rounded-lg p-[3px]">
            {statuses.map((status) => (
              <Link
                key={status}
                href={href({ status })}
                aria-current={query.status === status ? "page" : undefined}
                data-testid={`tab-${status}`}
                className={cn(
                  "text-muted-foreground focus-visible:ring-ring/50 inline-flex items-center gap-1.5 rounded-md px-3 py-1 text-sm font-medium outline-none focus-visible:ring-[3px]",
                  query.status === status && "bg-background text-foreground shadow-sm",
                )}
              >
                {t(`statuses.${status}`)}
                <span className="text-muted-foreground text-xs tabular-nums">{format.number(counts[status])}</span>
              </Link>
            ))}
          </nav>
          <nav aria-label={t("list.assigneeLabel")} className="flex items-center gap-1 text-sm">
            <span className="text-muted-foreground mr-1">{t("list.assigneeLabel")}</span>
            {(["me", "anyone"] as const).map((assignee) => (
              <Button key={assignee} asChild variant={query.assignee === assignee ? "secondary" : "ghost"} size="sm">
                <Link href={href({ assignee })} aria-current={query.assignee === assignee ? "page" : undefined}>
                  {t(`list.assignee.${assignee}`)}
                </Link>
              </Button>
            ))}
          </nav>
        </div>

        {page.tasks.length === 0 ? (
          <EmptyState
            testId="tasks-empty"
            icon={ListChecksIcon}
            title={t(`empty.${query.status}Title`)}
            body={query.status === "open" ? (mine ? t("empty.openMine") : t("empty.openAnyone")) : t(`empty.${query.status}Body`)}
          >
            {query.status === "open" ? (
              <div className="flex flex-wrap justify-center gap-2">
                {mine ? (
                  <Button asChild variant="outline">
                    <Link href={href({ assignee: "anyone" })}>{t("empty.seeAnyone")}</Link>
                  </Button>
                ) : null}
                {canEdit ? (
                  <Button asChild variant="outline">
                    <Link href={`/w/${workspace.slug}/journeys`}>
                      <RouteIcon />
                      {t("empty.toJourneys")}
                    </Link>
                  </Button>
                ) : null}
              </div>
            ) : null}
          </EmptyState>
        ) : (
          <Card className="py-0">
            <CardContent className="overflow-x-auto px-0">
              <Table data-testid="tasks-table">
                <TableHeader>
                  <TableRow>
                    <TableHead className="pl-4">{t("list.task")}</TableHead>
                    <TableHead>{t("list.contact")}</TableHead>
                    <TableHead>{t("list.assignedTo")}</TableHead>
                    <TableHead>{query.status === "done" ? t("list.doneAt") : t("list.due")}</TableHead>
                    <TableHead>{t("list.created")}</TableHead>
                    {canEdit ? <TableHead className="pr-4 text-right">{t("list.actions")}</TableHead> : null}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {page.tasks.map((task) => {
                    const overdue = task.status === "open" && task.dueAt !== null && task.dueAt < now;
                    return (
                      <TableRow key={task.id} data-task={task.id} data-status={task.status}>
                        <TableCell className="max-w-96 pl-4 align-top whitespace-normal">
                          <span className="font-medium" data-testid="task-title">
                            {task.title}
                          </span>
                          {task.notes ? <p className="text-muted-foreground line-clamp-3 text-xs whitespace-pre-line">{task.notes}</p> : null}
                          <span className="text-muted-foreground text-xs">{source(task)}</span>
                        </TableCell>
                        <TableCell className="max-w-56 align-top">
                          {task.contact ? (
                            <Link href={`/w/${workspace.slug}/contacts/${task.contact.id}`} className="block truncate hover:underline" data-testid="task-contact">
                              {task.contact.email ?? task.contact.name ?? task.contact.externalId ?? t("list.contactWithoutEmail")}
                            </Link>
                          ) : (
                            <span className="text-muted-foreground">{t("list.noContact")}</span>
                          )}
                          {task.contact?.name && task.contact.email ? <span className="text-muted-foreground block truncate text-xs">{task.contact.name}</span> : null}
                        </TableCell>
                        <TableCell className="align-top text-sm">
                          {task.assignee ? (task.assignee.id === user.id ? t("list.you") : (task.assignee.name ?? task.assignee.email)) : <span className="text-muted-foreground">{t("list.nobody")}</span>}
                        </TableCell>
                        <TableCell className="align-top text-sm">
                          {query.status === "done" && task.doneAt ? (
                            <time dateTime={task.doneAt.toISOString()}>{when(task.doneAt)}</time>
                          ) : task.dueAt ? (
                            <span className={cn(overdue && "text-destructive font-medium")}>
                              <time dateTime={task.dueAt.toISOString()}>{day(task.dueAt)}</time>
                              {overdue ? (
                                <Badge variant="outline" className="border-destructive/40 text-destructive ml-1.5">
                                  {t("list.overdue")}
                                </Badge>
                              ) : null}
                            </span>
                          ) : (
                            <span className="text-muted-foreground">{t("list.noDue")}</span>
                          )}
                        </TableCell>
                        <TableCell className="text-muted-foreground align-top text-sm">
                          <time dateTime={task.createdAt.toISOString()} title={when(task.createdAt)}>
                            {format.relativeTime(task.createdAt, now)}
                          </time>
                        </TableCell>
                        {canEdit ? (
                          <TableCell className="pr-4 align-top">
                            <TaskButtons workspaceId={workspace.id} task={{ id: task.id, title: task.title, status: task.status }} mine={task.assignee?.id === user.id} action={updateTaskAction} />
                          </TableCell>
                        ) : null}
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        )}
        {page.nextCursor || cursor ? (
          <div className="flex justify-end gap-2">
            {cursor ? (
              <Button asChild variant="ghost" size="sm">
                <Link href={href({})}>{t("list.newest")}</Link>
              </Button>
            ) : null}
            {page.nextCursor ? (
              <Button asChild variant="outline" size="sm">
                <Link href={href({ cursor: page.nextCursor })}>{t("list.older")}</Link>
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>
    </>
  );
}

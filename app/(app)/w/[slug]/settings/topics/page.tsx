import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { TagsIcon, Trash2Icon } from "lucide-react";
import { requireWorkspace } from "@/lib/auth/session";
import { listTopics, topicChoiceCounts } from "@/lib/messages/topics";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ActionButton } from "@/components/form/action-button";
import { DateTime } from "@/components/settings/date-time";
import { TopicDialog } from "@/components/topics/topic-dialog";
import { deleteTopicAction, saveTopicAction } from "./actions";
import { EmptyState } from "@/components/shell/empty-state";

export const metadata: Metadata = { title: "Topics" };

export default async function TopicsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace } = await requireWorkspace(slug, "admin");
  const t = await getTranslations("topics");
  const [topics, counts] = await Promise.all([listTopics(db, workspace.id), topicChoiceCounts(db, workspace.id)]);

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-6 p-6">
        {topics.length === 0 ? (
          <EmptyState testId="topics-empty" icon={TagsIcon} title={t("emptyTitle")} body={t("emptyBody")}>
            <TopicDialog workspaceId={workspace.id} action={saveTopicAction} />
          </EmptyState>
        ) : (
          <Card>
            <CardHeader className="flex flex-row items-center justify-between gap-4">
              <CardDescription>{t("count", { count: topics.length })}</CardDescription>
              <TopicDialog workspaceId={workspace.id} action={saveTopicAction} />
            </CardHeader>
            <CardContent>
              <Table data-testid="topics">
                <TableHeader>
                  <TableRow>
                    <TableHead>{t("name")}</TableHead>
                    <TableHead>{t("defaultColumn")}</TableHead>
                    <TableHead className="text-right">{t("choices")}</TableHead>
                    <TableHead>{t("created")}</TableHead>
                    <TableHead className="text-right">
                      <span className="sr-only">{t("actions")}</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {topics.map((topic) => (
                    <TableRow key={topic.id} data-topic={topic.name}>
                      <TableCell className="max-w-md">
                        <div className="font-medium">{topic.name}</div>
                        {topic.description ? <div className="text-muted-foreground text-sm whitespace-normal">{topic.description}</div> : null}
                      </TableCell>
                      <TableCell>
                        <Badge variant={topic.defaultSubscribed ? "secondary" : "outline"}>{topic.defaultSubscribed ? t("optOut") : t("optIn")}</Badge>
                      </TableCell>
                      <TableCell className="text-muted-foreground text-right tabular-nums">
                        {topic.defaultSubscribed
                          ? t("leftCount", { count: counts.get(topic.id)?.unsubscribed ?? 0 })
                          : t("joinedCount", { count: counts.get(topic.id)?.subscribed ?? 0 })}
                      </TableCell>
                      <TableCell className="text-muted-foreground">
                        <DateTime value={topic.createdAt} timeZone={workspace.timezone} />
                      </TableCell>
                      <TableCell>
                        <div className="flex justify-end gap-1">
                          <TopicDialog
                            workspaceId={workspace.id}
                            action={saveTopicAction}
                            topic={{ id: topic.id, name: topic.name, description: topic.description, defaultSubscribed: topic.defaultSubscribed }}
                          />
                          <ActionButton
                            action={deleteTopicAction}
                            fields={{ workspaceId: workspace.id, id: topic.id }}
                            successMessage={t("deletedToast")}
                            confirm={t("deleteConfirm", { name: topic.name })}
                            variant="ghost"
                            size="sm"
                            aria-label={t("deleteNamed", { name: topic.name })}
                          >
                            <Trash2Icon />
                            {t("delete")}
                          </ActionButton>
                        </div>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        )}
        <p className="text-muted-foreground text-sm">{t("footnote")}</p>
      </div>
    </>
  );
}

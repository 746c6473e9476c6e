import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ChevronRightIcon, ExternalLinkIcon, InboxIcon, InfoIcon } from "lucide-react";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { getMessageDetail, headerList, htmlForPreview, listOutbox } from "@/lib/messages/log";
import { messagingSettingsView } from "@/lib/messages/settings";
import { PageHeader } from "@/components/shell/page-header";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { MessageContent } from "@/components/messages/message-content";
import { MessageHeader } from "@/components/messages/message-header";
import { cn } from "@/lib/utils";
import { EmptyState } from "@/components/shell/empty-state";

export const metadata: Metadata = { title: "Outbox" };

const pageSize = 50;
type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

export default async function OutboxPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Search> }) {
  const { slug } = await params;
  const query = await searchParams;
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("messages.outbox");
  const format = await getFormatter();
  const base = `/w/${workspace.slug}/messages/outbox`;
  const cursor = one(query.cursor);
  const [page, settings] = await Promise.all([
    listOutbox(db, { workspaceId: workspace.id, cursor, limit: pageSize }),
    messagingSettingsView(db, workspace.id),
  ]);
  const selectedId = one(query.id) ?? page.messages[0]?.id;
  const selected = selectedId ? await getMessageDetail(db, workspace.id, selectedId) : undefined;
  const isAdmin = hasRole(role, "admin");
  const link = (change: { id?: string; cursor?: string | null }) => {
    const url = new URLSearchParams();
    const next = { cursor, ...change };
    if (next.cursor) url.set("cursor", next.cursor);
    if (change.id) url.set("id", change.id);
    const text = url.toString();
    return text ? `${base}?${text}` : base;
  };

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-4 p-6">
        <Alert data-testid="outbox-explainer">
          <InfoIcon />
          <AlertDescription>
            <p>
              {settings.smtpSource === "none" ? t("explainNone") : t("explainConfigured")}{" "}
              {isAdmin ? (
                <Link href={`/w/${workspace.slug}/settings/messaging`} className="text-foreground font-medium underline underline-offset-2">
                  {t("openSettings")}
                </Link>
              ) : (
                t("askAdmin")
              )}
            </p>
          </AlertDescription>
        </Alert>
        {page.messages.length === 0 ? (
          <EmptyState testId="outbox-empty" icon={InboxIcon} title={cursor ? t("noMore") : t("emptyTitle")} body={t("emptyBody")}>
              <div className="flex gap-2">
                <Button asChild>
                  <Link href={`/w/${workspace.slug}/templates`}>{t("openTemplates")}</Link>
                </Button>
                {cursor ? (
                  <Button asChild variant="outline">
                    <Link href={base}>{t("firstPage")}</Link>
                  </Button>
                ) : null}
              </div>
          </EmptyState>
        ) : (
          <div className="grid gap-4 lg:grid-cols-[minmax(18rem,24rem)_1fr]">
            <Card className="gap-0 self-start py-0">
              <nav aria-label={t("listLabel")}>
                <ul className="divide-y" data-testid="outbox-list">
                  {page.messages.map((message) => {
                    const active = message.id === selectedId;
                    return (
                      <li key={message.id}>
                        <Link
                          href={link({ id: message.id })}
                          aria-current={active ? "true" : undefined}
                          className={cn("hover:bg-muted/60 grid gap-0.5 px-4 py-3 text-sm outline-none focus-visible:bg-muted", active && "bg-muted")}
                          data-testid="outbox-item"
                        >
                          <span className="flex items-baseline justify-between gap-2">
                            <span className="truncate font-medium">{message.toAddress ?? "—"}</span>
                            <time dateTime={message.createdAt.toISOString()} className="text-muted-foreground shrink-0 text-xs">
                              {format.dateTime(message.sentAt ?? message.createdAt, { dateStyle: "short", timeStyle: "short", timeZone: workspace.timezone })}
                            </time>
                          </span>
                          <span className="truncate">{message.subject || t("noSubject")}</span>
                          {message.preview ? <span className="text-muted-foreground line-clamp-2 text-xs">{message.preview}</span> : null}
                        </Link>
                      </li>
                    );
                  })}
                </ul>
              </nav>
              {page.nextCursor ? (
                <div className="border-t p-2">
                  <Button asChild variant="ghost" size="sm" className="w-full">
                    <Link href={link({ cursor: page.nextCursor })} rel="next">
                      {t("older")}
                      <ChevronRightIcon />
                    </Link>
                  </Button>
                </div>
              ) : null}
            </Card>
            <Card className="min-w-0 self-start" data-testid="outbox-reader">
              <CardContent className="grid gap-4">
                {selected ? (
                  <>
                    <MessageHeader detail={selected} slug={workspace.slug} timeZone={workspace.timezone} />
                    <div>
                      <Button asChild variant="outline" size="sm">
                        <Link href={`/w/${workspace.slug}/messages/${selected.message.id}`}>
                          <ExternalLinkIcon />
                          {t("openDetail")}
                        </Link>
                      </Button>
                    </div>
                    <MessageContent html={htmlForPreview(selected.content?.html)} text={selected.content?.text ?? null} headers={headerList(selected)} height={640} />
                  </>
                ) : (
                  <p className="text-muted-foreground text-sm">{t("notFound")}</p>
                )}
              </CardContent>
            </Card>
          </div>
        )}
      </div>
    </>
  );
}

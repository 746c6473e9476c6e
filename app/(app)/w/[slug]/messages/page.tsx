import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ChevronLeftIcon, ChevronRightIcon, InboxIcon, LayoutTemplateIcon, MailIcon, SearchXIcon, SendIcon } from "lucide-react";
import { and, eq } from "drizzle-orm";
import { channels, contacts, messageStatuses, type Channel, type MessageStatus } from "@/db/schema";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import {
  listMessages,
  messageStatusCounts,
  previousMessagesCursor,
  startOfDayIn,
  templateOptions,
  type MessageLogFilters,
} from "@/lib/messages/log";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { contactLabel } from "@/components/contacts/contact-label";
import { MessageFilters, type MessageFilterValues } from "@/components/messages/message-filters";
import { MessagesTable } from "@/components/messages/messages-table";
import { statusTone } from "@/components/messages/status-tone";
import { cn } from "@/lib/utils";
import { EmptyState } from "@/components/shell/empty-state";

export const metadata: Metadata = { title: "Messages" };

const pageSize = 50;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

export default async function MessagesPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Search> }) {
  const { slug } = await params;
  const query = await searchParams;
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("messages");
  const format = await getFormatter();
  const base = `/w/${workspace.slug}/messages`;

  // Unknown values in a hand-edited URL are dropped rather than failing the page.
  const values: MessageFilterValues = {};
  const filters: MessageLogFilters = {};
  const statuses = (one(query.status) ?? "").split(",").filter((status): status is MessageStatus => (messageStatuses as readonly string[]).includes(status));
  if (statuses.length) {
    filters.statuses = statuses;
    values.status = statuses.join(",");
  }
  const channel = one(query.channel);
  if (channel && (channels as readonly string[]).includes(channel)) filters.channel = values.channel = channel as Channel;
  const template = one(query.template);
  if (template && uuidPattern.test(template)) filters.templateId = values.template = template;
  const contact = one(query.contact);
  let filteredContact: string | undefined;
  if (contact && uuidPattern.test(contact)) {
    filters.contactId = values.contact = contact;
    const [found] = await db
      .select({ id: contacts.id, email: contacts.email, firstName: contacts.firstName, lastName: contacts.lastName, externalId: contacts.externalId })
      .from(contacts)
      .where(and(eq(contacts.workspaceId, workspace.id), eq(contacts.id, contact)));
    const label = found ? contactLabel(found) : undefined;
    filteredContact = label ? (label.kind === "anonymous" ? `${t("anonymous")} ${label.shortId}` : label.text) : contact.slice(0, 8);
  } else if (contact) {
    filters.contactEmail = values.contact = contact.slice(0, 254);
  }
  const from = one(query.from);
  const fromDate = from ? startOfDayIn(from, workspace.timezone) : undefined;
  if (fromDate) {
    filters.from = fromDate;
    values.from = from;
  }
  const to = one(query.to);
  const toDate = to ? startOfDayIn(to, workspace.timezone) : undefined;
  if (toDate) {
    // The chosen day is included: up to the next midnight.
    filters.to = new Date(toDate.getTime() + 24 * 60 * 60 * 1000);
    values.to = to;
  }
  const filtered = Object.values(values).some(Boolean);

  const [page, counts, templates] = await Promise.all([
    listMessages(db, { workspaceId: workspace.id, filters, cursor: one(query.cursor), limit: pageSize }),
    messageStatusCounts(db, { workspaceId: workspace.id, filters }),
    templateOptions(db, workspace.id),
  ]);
  const first = page.messages[0];
  const previous = one(query.cursor) && first ? await previousMessagesCursor(db, { workspaceId: workspace.id, filters, limit: pageSize, first }) : null;
  const empty = page.messages.length === 0;
  const anyMessages = !empty || (filtered ? (await listMessages(db, { workspaceId: workspace.id, limit: 1 })).messages.length > 0 : Boolean(one(query.cursor)));

  const href = (change: Partial<MessageFilterValues> & { cursor?: string | null }) => {
    const url = new URLSearchParams();
    const merged: Record<string, string | null | undefined> = { ...values, ...change };
    for (const [key, value] of Object.entries(merged)) if (value) url.set(key, value);
    const text = url.toString();
    return text ? `${base}?${text}` : base;
  };

  return (
    <>
      <PageHeader title={t("log.title")} description={t("log.description")} />
      <div className="grid gap-4 p-6">
        {!anyMessages ? (
          <NoMessages slug={workspace.slug} canCreate={hasRole(role, "marketer")} />
        ) : (
          <>
            <MessageFilters action={base} values={values} templates={templates} contactLabel={filteredContact} />
            <div className="flex flex-wrap items-center justify-between gap-3">
            <section aria-label={t("log.countsLabel")} className="flex flex-wrap items-center gap-2 text-sm" data-testid="status-counts">
              <span className="text-muted-foreground" data-testid="status-total">
                {counts.capped ? t("log.totalCapped", { count: counts.total }) : t("log.total", { count: counts.total })}
              </span>
              {messageStatuses
                .filter((status) => counts.counts[status])
                .map((status) => (
                  <Link
                    key={status}
                    href={href({ status: values.status === status ? undefined : status, cursor: null })}
                    className={cn(
                      "inline-flex items-center gap-1.5 rounded-md border px-2 py-0.5 text-xs font-medium hover:opacity-80",
                      statusTone(status),
                      values.status === status && "ring-ring ring-2",
                    )}
                    aria-current={values.status === status ? "true" : undefined}
                    data-testid={`count-${status}`}
                  >
                    {t(`statuses.${status}`)}
                    <span className="tabular-nums">{format.number(counts.counts[status] ?? 0)}</span>
                  </Link>
                ))}
            </section>
              <Button asChild variant="outline" size="sm">
                <Link href={`${base}/outbox`}>
                  <InboxIcon />
                  {t("log.openOutbox")}
                </Link>
              </Button>
            </div>
            {empty ? (
              <Card data-testid="messages-no-match">
                <CardContent className="flex flex-col items-center gap-3 py-6 text-center">
                  <SearchXIcon className="text-muted-foreground size-6" aria-hidden />
                  <p className="text-sm">{filtered ? t("log.noMatch") : t("log.noMore")}</p>
                  <Button asChild variant="outline" size="sm">
                    <Link href={base}>{filtered ? t("filters.clear") : t("log.firstPage")}</Link>
                  </Button>
                </CardContent>
              </Card>
            ) : (
              <Card className="py-0">
                <CardContent className="px-0">
                  <MessagesTable rows={page.messages} slug={workspace.slug} timeZone={workspace.timezone} />
                </CardContent>
              </Card>
            )}
            {!empty ? (
              <nav aria-label={t("log.pagination")} className="flex items-center justify-end gap-2">
                <span className="text-muted-foreground mr-auto text-sm">{t("log.showing", { count: page.messages.length })}</span>
                <PageLink href={previous !== null ? href({ cursor: previous || null }) : undefined} rel="prev">
                  <ChevronLeftIcon />
                  {t("log.previousPage")}
                </PageLink>
                <PageLink href={page.nextCursor ? href({ cursor: page.nextCursor }) : undefined} rel="next">
                  {t("log.nextPage")}
                  <ChevronRightIcon />
                </PageLink>
              </nav>
            ) : null}
          </>
        )}
      </div>
    </>
  );
}

function PageLink({ href, rel, children }: { href?: string; rel: "prev" | "next"; children: React.ReactNode }) {
  if (!href) {
    return (
      <Button variant="outline" size="sm" disabled>
        {children}
      </Button>
    );
  }
  return (
    <Button variant="outline" size="sm" asChild>
      <Link href={href} rel={rel}>
        {children}
      </Link>
    </Button>
  );
}

async function NoMessages({ slug, canCreate }: { slug: string; canCreate: boolean }) {
  const t = await getTranslations("messages.empty");
  const steps = [
    { icon: LayoutTemplateIcon, title: t("templateTitle"), body: t("templateBody") },
    { icon: SendIcon, title: t("testTitle"), body: t("testBody") },
    { icon: InboxIcon, title: t("outboxTitle"), body: t("outboxBody") },
  ];
  return (
    <EmptyState testId="messages-empty" icon={MailIcon} title={t("title")} body={t("body")}>
        <ol className="grid w-full max-w-3xl gap-4 text-left sm:grid-cols-3">
          {steps.map((step, index) => (
            <li key={step.title} className="flex gap-3 rounded-lg border p-4">
              <step.icon className="text-muted-foreground mt-0.5 size-4 shrink-0" aria-hidden />
              <div className="grid content-start gap-1">
                <p className="text-sm font-medium">
                  {index + 1}. {step.title}
                </p>
                <p className="text-muted-foreground text-sm">{step.body}</p>
              </div>
            </li>
          ))}
        </ol>
        <div className="flex flex-wrap justify-center gap-2">
          {canCreate ? (
            <Button asChild>
              <Link href={`/w/${slug}/templates/new`}>{t("createTemplate")}</Link>
            </Button>
          ) : (
            <p className="text-muted-foreground self-center text-sm">{t("askMarketer")}</p>
          )}
          <Button asChild variant="outline">
            <Link href={`/w/${slug}/templates`}>{t("openTemplates")}</Link>
          </Button>
        </div>
    </EmptyState>
  );
}

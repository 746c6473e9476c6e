import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ChevronLeftIcon, ChevronRightIcon, UploadIcon } from "lucide-react";
import { decodeCursor, listContacts } from "@/db/queries/contacts";
import { previousPageCursor, workspaceHasContacts } from "@/db/queries/contact-views";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { contactLabel } from "@/components/contacts/contact-label";
import { ContactsTable, type ContactRow } from "@/components/contacts/contacts-table";
import { ContactSearch } from "@/components/contacts/contact-search";
import { NoContacts, NoMatches } from "@/components/contacts/empty-states";
import { bulkTagAction } from "./actions";

export const metadata: Metadata = { title: "Contacts" };

const pageSize = 50;

type Search = { q?: string | string[]; tag?: string | string[]; cursor?: string | string[] };
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A hand-edited or truncated cursor starts the list over instead of failing the page.
function validCursor(cursor: string | undefined): string | undefined {
  const parts = decodeCursor(cursor);
  if (!parts || typeof parts[0] !== "string" || typeof parts[1] !== "string") return undefined;
  return !Number.isNaN(Date.parse(parts[0])) && uuidPattern.test(parts[1]) ? cursor : undefined;
}

export default async function ContactsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Search>;
}) {
  const { slug } = await params;
  const query = await searchParams;
  const search = one(query.q);
  const tag = one(query.tag);
  const cursor = validCursor(one(query.cursor));
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("contacts");
  const format = await getFormatter();
  const base = `/w/${workspace.slug}/contacts`;

  const page = await listContacts(db, { workspaceId: workspace.id, search, tag, cursor, limit: pageSize });
  const first = page.contacts[0];
  const previous = cursor && first ? await previousPageCursor(db, { workspaceId: workspace.id, search, tag, limit: pageSize, first }) : undefined;
  const filtered = Boolean(search || tag);
  const empty = page.contacts.length === 0;
  const anyContacts = !empty || (await workspaceHasContacts(db, workspace.id));

  const href = (next: { cursor?: string | null }) => {
    const url = new URLSearchParams();
    if (search) url.set("q", search);
    if (tag) url.set("tag", tag);
    if (next.cursor) url.set("cursor", next.cursor);
    const text = url.toString();
    return text ? `${base}?${text}` : base;
  };

  const now = new Date();
  const full = (value: Date) => format.dateTime(value, { dateStyle: "medium", timeStyle: "short", timeZone: workspace.timezone });
  const rows: ContactRow[] = page.contacts.map((contact) => ({
    id: contact.id,
    label: contactLabel(contact),
    email: contact.email,
    externalId: contact.externalId,
    tags: contact.tags,
    lastSeen: contact.lastSeenAt
      ? { text: format.relativeTime(contact.lastSeenAt, now), title: full(contact.lastSeenAt), iso: contact.lastSeenAt.toISOString() }
      : null,
    created: {
      text: format.dateTime(contact.createdAt, { dateStyle: "medium", timeZone: workspace.timezone }),
      title: full(contact.createdAt),
      iso: contact.createdAt.toISOString(),
    },
  }));

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-4 p-6">
        {anyContacts ? (
          <div className="flex flex-wrap items-end justify-between gap-2">
            <ContactSearch action={base} search={search} tag={tag} tags={[...new Set(rows.flatMap((row) => row.tags))]} />
            {hasRole(role, "marketer") ? (
              <Button asChild variant="outline">
                <Link href={`${base}/import`}>
                  <UploadIcon />
                  {t("importCsv")}
                </Link>
              </Button>
            ) : null}
          </div>
        ) : null}
        {!anyContacts ? (
          <NoContacts admin={hasRole(role, "admin")} canImport={hasRole(role, "marketer")} slug={workspace.slug} />
        ) : empty && filtered ? (
          <NoMatches search={search} tag={tag} clearHref={base} />
        ) : empty ? (
          <NoMatches clearHref={base} pastEnd />
        ) : (
          <Card className="py-0">
            <CardContent className="px-0">
              <ContactsTable
                // Another page starts with nothing selected.
                key={rows.map((row) => row.id).join(",")}
                rows={rows}
                slug={workspace.slug}
                workspaceId={workspace.id}
                canEdit={hasRole(role, "marketer")}
                filterBase={base}
                bulkTagAction={bulkTagAction}
              />
            </CardContent>
          </Card>
        )}
        {!empty ? (
          <nav aria-label={t("pagination")} className="flex items-center justify-end gap-2">
            <span className="text-muted-foreground mr-auto text-sm" data-testid="page-size">
              {t("showing", { count: rows.length })}
            </span>
            <PageLink href={previous !== undefined ? href({ cursor: previous }) : undefined} rel="prev">
              <ChevronLeftIcon />
              {t("previousPage")}
            </PageLink>
            <PageLink href={page.nextCursor ? href({ cursor: page.nextCursor }) : undefined} rel="next">
              {t("nextPage")}
              <ChevronRightIcon />
            </PageLink>
          </nav>
        ) : null}
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

import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { ArrowLeftIcon, DownloadIcon } from "lucide-react";
import { companyOf, contactIdentitiesOf, findContact, listContactEvents } from "@/db/queries/contacts";
import { attributeTypesOf, mergedInto } from "@/db/queries/contact-views";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { contactConsentSummary, contactMessages } from "@/lib/messages/log";
import { contactJourneys } from "@/lib/journeys/stats";
import { journeyVersionGraphs } from "@/db/queries/journey-views";
import { PageHeader } from "@/components/shell/page-header";
import { Avatar, AvatarFallback } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { DateTime } from "@/components/settings/date-time";
import { contactLabel, initials } from "@/components/contacts/contact-label";
import { AttributesCard, CompanyCard, IdentitiesCard } from "@/components/contacts/profile-cards";
import { ContactTags } from "@/components/contacts/contact-tags";
import { EditContactSheet } from "@/components/contacts/edit-contact-sheet";
import { EraseContactDialog } from "@/components/contacts/erase-contact-dialog";
import { EventTimeline } from "@/components/contacts/event-timeline";
import { serializeEvents } from "@/components/contacts/timeline-events";
import { ConsentCard, ContactMessagesCard } from "@/components/messages/contact-cards";
import { ContactJourneysCard } from "@/components/journeys/contact-journeys-card";
import { loadSummaryNames } from "@/components/journeys/load-options";
import { ContactScoreCard } from "@/components/scoring/contact-score-card";
import { listMatches } from "@/lib/monitors/manage";
import { contactCoupons } from "@/lib/rewards/coupons";
import { contactPoints, rewardSettingsOf } from "@/lib/rewards/points";
import { ContactMatchesCard } from "@/components/monitors/contact-matches-card";
import { AdjustPointsDialog } from "@/components/rewards/adjust-points-dialog";
import { CouponsCard, PointsCard } from "@/components/rewards/contact-cards";
import { adjustPointsAction } from "../../rewards/actions";
import { contactTagAction, editContactAction, eraseContactAction } from "../actions";

export const metadata: Metadata = { title: "Contact" };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function ContactPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { db, workspace, role } = await requireWorkspace(slug);
  if (!uuidPattern.test(id)) notFound();
  const contact = await findContact(db, workspace.id, { id });
  if (!contact) {
    // An anonymous profile merged into a known one lives on under the survivor's id.
    const survivor = await mergedInto(db, workspace.id, id);
    if (survivor) redirect(`/w/${workspace.slug}/contacts/${survivor}`);
    notFound();
  }
  const t = await getTranslations("contacts");
  const format = await getFormatter();
  const canEdit = hasRole(role, "marketer");
  const [identities, company, firstEvents, attributeTypes, consent, recentMessages, journeyRuns] = await Promise.all([
    contactIdentitiesOf(db, workspace.id, contact.id),
    companyOf(db, workspace.id, contact.companyId),
    listContactEvents(db, { workspaceId: workspace.id, contactId: contact.id, limit: 25 }),
    canEdit ? attributeTypesOf(db, workspace.id) : Promise.resolve({}),
    contactConsentSummary(db, workspace.id, contact),
    contactMessages(db, workspace.id, contact.id, 10),
    contactJourneys(db, workspace.id, contact.id),
  ]);
  const [points, coupons, monitorMatches, rewardSettings] = await Promise.all([
    contactPoints(db, workspace.id, contact.id, { limit: 5 }),
    contactCoupons(db, workspace.id, contact.id),
    listMatches(db, workspace.id, { contactId: contact.id, limit: 10 }),
    rewardSettingsOf(db, workspace.id),
  ]);
  // The nodes of each run's version, to name the steps of its path.
  const [journeyGraphs, journeyNames] =
    journeyRuns.length > 0
      ? await Promise.all([journeyVersionGraphs(db, workspace.id, journeyRuns), loadSummaryNames(db, workspace.id)])
      : [new Map(), { templates: new Map(), segments: new Map(), members: new Map(), campaigns: new Map() }];
  const label = contactLabel(contact);
  const name = label.kind === "anonymous" ? `${t("anonymous")} ${label.shortId}` : label.text;
  const base = `/w/${workspace.slug}/contacts`;

  const facts: Array<[string, React.ReactNode]> = [
    [t("profile.created"), <DateTime key="created" value={contact.createdAt} timeZone={workspace.timezone} />],
    [
      t("profile.lastSeen"),
      contact.lastSeenAt ? (
        <span key="seen">
          <DateTime value={contact.lastSeenAt} timeZone={workspace.timezone} />{" "}
          <span className="text-muted-foreground">({format.relativeTime(contact.lastSeenAt, new Date())})</span>
        </span>
      ) : (
        t("never")
      ),
    ],
    [t("profile.timezone"), contact.timezone ?? t("profile.unknown")],
    [t("profile.locale"), contact.locale ?? t("profile.unknown")],
  ];
  if (contact.lifecycleStage) facts.push([t("profile.lifecycleStage"), contact.lifecycleStage]);

  return (
    <>
      <PageHeader title={name} />
      <div className="grid gap-6 p-6 lg:grid-cols-3">
        <div className="lg:col-span-3">
          <Button asChild variant="ghost" size="sm" className="-ml-2">
            <Link href={base}>
              <ArrowLeftIcon />
              {t("backToList")}
            </Link>
          </Button>
        </div>
        <Card className="lg:col-span-3" data-testid="contact-header">
          <CardContent className="flex flex-col gap-6 md:flex-row md:items-start">
            <div className="flex min-w-0 flex-1 items-center gap-4">
              <Avatar className="size-14 text-lg">
                <AvatarFallback>{initials(contact)}</AvatarFallback>
              </Avatar>
              <div className="grid min-w-0 gap-1">
                <h2 className="truncate text-xl font-semibold" data-testid="contact-name">
                  {name}
                </h2>
                <p className="text-muted-foreground truncate text-sm">
                  {contact.email ?? t("profile.noEmail")}
                  {contact.phone ? ` · ${contact.phone}` : null}
                </p>
                {contact.externalId ? (
                  <p className="text-muted-foreground text-sm">
                    {t("columns.externalId")}: <code className="text-foreground font-mono text-xs">{contact.externalId}</code>
                  </p>
                ) : null}
              </div>
            </div>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm md:max-w-md">
              {facts.map(([term, value]) => (
                <div key={term} className="contents">
                  <dt className="text-muted-foreground">{term}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
            <div className="flex flex-wrap gap-2 md:flex-col">
              <Button asChild variant="outline" size="sm">
                <a href={`/api/ui/contacts/${contact.id}/export?workspace=${workspace.id}`} download>
                  <DownloadIcon />
                  {t("profile.export")}
                </a>
              </Button>
              {hasRole(role, "admin") ? (
                <EraseContactDialog
                  workspaceId={workspace.id}
                  contact={{ id: contact.id, email: contact.email, name }}
                  listHref={base}
                  action={eraseContactAction}
                />
              ) : null}
            </div>
          </CardContent>
        </Card>
        <div className="grid content-start gap-6">
          <AttributesCard
            attributes={contact.attributes}
            edit={
              canEdit ? (
                <EditContactSheet
                  workspaceId={workspace.id}
                  contact={{
                    id: contact.id,
                    firstName: contact.firstName,
                    lastName: contact.lastName,
                    email: contact.email,
                    phone: contact.phone,
                    attributes: contact.attributes,
                  }}
                  attributeTypes={attributeTypes}
                  action={editContactAction}
                />
              ) : null
            }
          />
          <ContactScoreCard db={db} workspaceId={workspace.id} contactId={contact.id} slug={workspace.slug} timeZone={workspace.timezone} />
          <ContactTags workspaceId={workspace.id} contactId={contact.id} tags={contact.tags} canEdit={canEdit} listHref={base} action={contactTagAction} />
          <IdentitiesCard identities={identities} timeZone={workspace.timezone} />
          <CompanyCard company={company} />
          <ConsentCard summary={consent} timeZone={workspace.timezone} />
          <ContactMessagesCard messages={recentMessages} slug={workspace.slug} contactId={contact.id} timeZone={workspace.timezone} />
          <ContactJourneysCard runs={journeyRuns} graphs={journeyGraphs} names={journeyNames} slug={workspace.slug} timeZone={workspace.timezone} />
        </div>
        <div className="grid content-start gap-6 lg:col-span-2">
          <div className="grid gap-6 xl:grid-cols-2">
            <PointsCard
              points={points}
              pointsName={rewardSettings.pointsName}
              ledgerHref={contact.email ? `/w/${workspace.slug}/rewards?email=${encodeURIComponent(contact.email)}` : null}
              timeZone={workspace.timezone}
              adjust={
                canEdit ? (
                  <AdjustPointsDialog
                    workspaceId={workspace.id}
                    contact={{ id: contact.id, email: contact.email, name: name, externalId: contact.externalId }}
                    balance={points.balance}
                    pointsName={rewardSettings.pointsName}
                    adjust={adjustPointsAction}
                  />
                ) : null
              }
            />
            <CouponsCard coupons={coupons} slug={workspace.slug} timeZone={workspace.timezone} />
          </div>
          <ContactMatchesCard matches={monitorMatches} slug={workspace.slug} timeZone={workspace.timezone} pointsName={rewardSettings.pointsName} />
          <EventTimeline
            workspaceId={workspace.id}
            contactId={contact.id}
            timeZone={workspace.timezone}
            initial={{ events: serializeEvents(firstEvents.events), nextCursor: firstEvents.nextCursor }}
          />
        </div>
      </div>
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ArrowLeftIcon } from "lucide-react";
import { requireWorkspace } from "@/lib/auth/session";
import { getMessageDetail, headerList, htmlForPreview } from "@/lib/messages/log";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { MessageContent } from "@/components/messages/message-content";
import { MessageHeader } from "@/components/messages/message-header";
import { MessageTimeline } from "@/components/messages/message-timeline";

export const metadata: Metadata = { title: "Message" };

function validZone(zone: string | null | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

export default async function MessagePage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { db, workspace } = await requireWorkspace(slug);
  const detail = await getMessageDetail(db, workspace.id, id);
  if (!detail) notFound();
  const t = await getTranslations("messages");
  // Times about the recipient read in their own zone; the workspace's when theirs is unknown.
  const contactZone = validZone(detail.contact?.timezone);
  const timeZone = contactZone ?? workspace.timezone;
  const base = `/w/${workspace.slug}/messages`;
  return (
    <>
      <PageHeader title={t("detail.title")} />
      <div className="grid gap-6 p-6 lg:grid-cols-3">
        <div className="lg:col-span-3">
          <Button asChild variant="ghost" size="sm" className="-ml-2">
            <Link href={base}>
              <ArrowLeftIcon />
              {t("detail.back")}
            </Link>
          </Button>
        </div>
        <Card className="lg:col-span-3">
          <CardContent>
            <MessageHeader detail={detail} slug={workspace.slug} timeZone={workspace.timezone} />
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>
              <h2>{t("detail.contentTitle")}</h2>
            </CardTitle>
            <CardDescription>{t("detail.contentHint")}</CardDescription>
          </CardHeader>
          <CardContent>
            <MessageContent html={htmlForPreview(detail.content?.html)} text={detail.content?.text ?? null} headers={headerList(detail)} />
          </CardContent>
        </Card>
        <Card className="content-start">
          <CardHeader>
            <CardTitle>
              <h2>{t("detail.historyTitle")}</h2>
            </CardTitle>
            <CardDescription>
              {contactZone ? t("detail.historyZoneContact", { zone: timeZone }) : t("detail.historyZoneWorkspace", { zone: timeZone })}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <MessageTimeline events={detail.events} timeZone={timeZone} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}

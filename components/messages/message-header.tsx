import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { MessageDetail } from "@/lib/messages/log";
import { DateTime } from "@/components/settings/date-time";
import { contactLabel } from "@/components/contacts/contact-label";
import { StatusBadge } from "./status-badge";

/** To, from, subject, channel, template version and source of one message. */
export async function MessageHeader({ detail, slug, timeZone }: { detail: MessageDetail; slug: string; timeZone: string }) {
  const t = await getTranslations("messages");
  const { message, content, contact, template } = detail;
  const base = `/w/${slug}`;
  const label = contact ? contactLabel(contact) : undefined;
  const facts: Array<[string, React.ReactNode]> = [
    [
      t("detail.to"),
      <span key="to" className="break-all">
        {message.toAddress ?? "—"}
        {contact ? (
          <>
            {" · "}
            <Link href={`${base}/contacts/${contact.id}`} className="underline-offset-2 hover:underline">
              {label && label.kind !== "anonymous" ? label.text : `${t("anonymous")} ${contact.id.slice(0, 8)}`}
            </Link>
          </>
        ) : null}
      </span>,
    ],
    [t("detail.from"), content?.fromAddress ?? "—"],
  ];
  if (content?.replyTo) facts.push([t("detail.replyTo"), content.replyTo]);
  facts.push(
    [t("detail.channel"), `${t(`channels.${message.channel}`)} · ${t(`kinds.${message.kind}`)}`],
    [
      t("detail.template"),
      message.templateId ? (
        <Link key="template" href={`${base}/templates/${message.templateId}${message.templateVersion ? `?version=${message.templateVersion}` : ""}`} className="underline-offset-2 hover:underline" data-testid="template-link">
          {template?.name ?? t("deletedTemplate")}
          {message.templateVersion ? ` · ${t("detail.version", { version: message.templateVersion })}` : ""}
        </Link>
      ) : (
        "—"
      ),
    ],
    [
      t("detail.source"),
      <span key="source">
        {t.has(`sources.${message.source}` as never) ? t(`sources.${message.source}` as never) : message.source}
        {message.sourceId ? <code className="text-muted-foreground ml-1 font-mono text-xs">{message.sourceId}</code> : null}
      </span>,
    ],
    [t("detail.created"), <DateTime key="created" value={message.createdAt} timeZone={timeZone} />],
  );
  if (message.sentAt) facts.push([t("detail.sent"), <DateTime key="sent" value={message.sentAt} timeZone={timeZone} />]);
  if (message.notBefore) facts.push([t("detail.notBefore"), <DateTime key="nb" value={message.notBefore} timeZone={timeZone} />]);
  if (detail.adapter) facts.push([t("detail.adapter"), detail.adapter]);
  return (
    <div className="grid gap-4" data-testid="message-header">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <h2 className="min-w-0 text-xl font-semibold break-words" data-testid="message-subject">
          {content?.subject ?? message.subject ?? t("noSubject")}
        </h2>
        <StatusBadge status={message.status} reason={message.statusReason} />
      </div>
      <dl className="grid grid-cols-[minmax(6rem,auto)_1fr] gap-x-4 gap-y-1.5 text-sm">
        {facts.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-muted-foreground">{term}</dt>
            <dd className="min-w-0">{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

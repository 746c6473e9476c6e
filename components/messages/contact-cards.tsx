import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { BanIcon, MailIcon, ShieldCheckIcon } from "lucide-react";
import type { Channel } from "@/db/schema";
import type { ContactConsentSummary, MessageLogRow } from "@/lib/messages/log";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DateTime } from "@/components/settings/date-time";
import { StatusBadge } from "./status-badge";

const consentChannels: Channel[] = ["email", "sms", "wechat", "inbox"];

function sourceText(t: Awaited<ReturnType<typeof getTranslations<"messages">>>, source: string): string {
  return t.has(`consentSources.${source}` as never) ? t(`consentSources.${source}` as never) : source;
}

/** Per-channel consent, topic subscriptions and the suppression list, as they stand for one contact. */
export async function ConsentCard({ summary, timeZone }: { summary: ContactConsentSummary; timeZone: string }) {
  const t = await getTranslations("messages");
  return (
    <Card data-testid="consent-card">
      <CardHeader>
        <CardTitle>{t("profile.consentTitle")}</CardTitle>
        <CardDescription>{t("profile.consentHint")}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4 text-sm">
        {summary.suppressions.length > 0 ? (
          <div className="grid gap-1 rounded-md border border-red-500/40 bg-red-500/5 p-3" data-testid="contact-suppressed">
            {summary.suppressions.map((suppression) => (
              <p key={`${suppression.channel}:${suppression.address}`} className="flex items-start gap-2">
                <BanIcon className="mt-0.5 size-4 shrink-0 text-red-600" aria-hidden />
                <span>
                  {t("profile.suppressed", { address: suppression.address, reason: t(`suppressionReasons.${suppression.reason}`) })}
                  {suppression.details ? <span className="text-muted-foreground"> · {suppression.details}</span> : null}
                  <span className="text-muted-foreground block text-xs">
                    <DateTime value={suppression.createdAt} timeZone={timeZone} />
                  </span>
                </span>
              </p>
            ))}
          </div>
        ) : (
          <p className="text-muted-foreground flex items-center gap-2" data-testid="contact-not-suppressed">
            <ShieldCheckIcon className="size-4 shrink-0" aria-hidden />
            {t("profile.notSuppressed")}
          </p>
        )}
        <div className="grid gap-1.5">
          <h3 className="text-xs font-medium tracking-wide uppercase">{t("profile.channels")}</h3>
          <ul className="grid gap-1.5" data-testid="contact-consents">
            {consentChannels.map((channel) => {
              const consent = summary.consents[channel];
              return (
                <li key={channel} className="flex flex-wrap items-center justify-between gap-2" data-channel={channel}>
                  <span>{t(`channels.${channel}`)}</span>
                  <span className="flex items-center gap-2">
                    {consent ? (
                      <span className="text-muted-foreground text-xs">
                        {sourceText(t, consent.source)} · <DateTime value={consent.updatedAt} timeZone={timeZone} />
                      </span>
                    ) : null}
                    <Badge
                      variant="outline"
                      className={
                        consent?.status === "granted"
                          ? "border-emerald-500/40 bg-emerald-500/10 text-emerald-800 dark:text-emerald-300"
                          : consent?.status === "revoked"
                            ? "border-red-500/40 bg-red-500/10 text-red-800 dark:text-red-300"
                            : "text-muted-foreground"
                      }
                      data-testid="consent-status"
                    >
                      {t(`consent.${consent?.status ?? "notAsked"}`)}
                    </Badge>
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
        <div className="grid gap-1.5">
          <h3 className="text-xs font-medium tracking-wide uppercase">{t("profile.topics")}</h3>
          {summary.topics.length === 0 ? (
            <p className="text-muted-foreground">{t("profile.noTopics")}</p>
          ) : (
            <ul className="grid gap-1.5" data-testid="contact-topics">
              {summary.topics.map((topic) => (
                <li key={topic.id} className="flex flex-wrap items-center justify-between gap-2">
                  <span className="min-w-0 truncate">{topic.name}</span>
                  <span className="flex items-center gap-2">
                    <span className="text-muted-foreground text-xs">
                      {topic.choice ? (
                        <>
                          {sourceText(t, topic.choice.source)} · <DateTime value={topic.choice.updatedAt} timeZone={timeZone} />
                        </>
                      ) : (
                        t(topic.defaultSubscribed ? "profile.defaultIn" : "profile.defaultOut")
                      )}
                    </span>
                    <Badge variant={topic.subscribed ? "secondary" : "outline"} data-testid="topic-status">
                      {t(topic.subscribed ? "profile.subscribed" : "profile.unsubscribed")}
                    </Badge>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </CardContent>
    </Card>
  );
}

/** The contact's latest messages, each a link to its detail, and the log filtered to them. */
export async function ContactMessagesCard({ messages, slug, contactId, timeZone }: { messages: MessageLogRow[]; slug: string; contactId: string; timeZone: string }) {
  const t = await getTranslations("messages");
  const base = `/w/${slug}/messages`;
  return (
    <Card data-testid="contact-messages">
      <CardHeader>
        <CardTitle>{t("profile.messagesTitle")}</CardTitle>
        {messages.length > 0 ? (
          <CardAction>
            <Button asChild variant="ghost" size="sm">
              <Link href={`${base}?contact=${contactId}`}>{t("profile.allMessages")}</Link>
            </Button>
          </CardAction>
        ) : null}
      </CardHeader>
      <CardContent>
        {messages.length === 0 ? (
          <p className="text-muted-foreground flex items-start gap-2 text-sm">
            <MailIcon className="mt-0.5 size-4 shrink-0" aria-hidden />
            {t("profile.noMessages")}
          </p>
        ) : (
          <ul className="grid gap-2 text-sm">
            {messages.map((message) => (
              <li key={message.id} className="flex items-start justify-between gap-2">
                <Link href={`${base}/${message.id}`} className="grid min-w-0 gap-0.5 hover:underline" data-testid="contact-message-link">
                  <span className="truncate">{message.subject || message.templateName || t("noSubject")}</span>
                  <span className="text-muted-foreground text-xs">
                    {t(`channels.${message.channel}`)} · <DateTime value={message.createdAt} timeZone={timeZone} />
                  </span>
                </Link>
                <StatusBadge status={message.status} className="shrink-0 items-end" />
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

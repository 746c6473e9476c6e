"use client";

import { useCallback, useEffect, useState, useTransition } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { Loader2Icon, MonitorIcon, SendIcon, SmartphoneIcon } from "lucide-react";
import type { Channel } from "@/db/schema";
import type { ActionState } from "@/lib/auth/action";
import type { ContactOption, PreviewData, TestResult } from "./types";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";

type Action<T> = (previous: ActionState<T>, formData: FormData) => Promise<ActionState<T>>;

function form(fields: Record<string, string | number | null | undefined>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) if (value !== null && value !== undefined) data.set(key, String(value));
  return data;
}

const widths = { desktop: 700, mobile: 375 } as const;

/** The saved version rendered for a chosen contact (or sample data), at desktop or phone width, and a test send. */
export function TemplatePreview({
  workspaceId,
  templateId,
  version,
  channel,
  canSendTest,
  preview,
  search,
  sendTest,
  messagesHref,
}: {
  workspaceId: string;
  /** The message log, where the test's content and status history can be opened. */
  messagesHref: string;
  templateId: string;
  version: number;
  channel: Channel;
  canSendTest: boolean;
  preview: Action<PreviewData>;
  search: Action<ContactOption[]>;
  sendTest: Action<TestResult>;
}) {
  const t = useTranslations("templates.preview");
  const tStatus = useTranslations("messages.statuses");
  const [contact, setContact] = useState<ContactOption | null>(null);
  const [query, setQuery] = useState("");
  const [options, setOptions] = useState<ContactOption[]>([]);
  const [width, setWidth] = useState<keyof typeof widths>("desktop");
  const [rendered, setRendered] = useState<PreviewData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [test, setTest] = useState<{ ok: true; result: TestResult } | { ok: false; error: string } | null>(null);
  const [loading, startLoading] = useTransition();
  const [sending, startSending] = useTransition();

  const load = useCallback(
    (contactId: string | null) =>
      startLoading(async () => {
        const result = await preview(null, form({ workspaceId, id: templateId, version, contactId }));
        if (result?.ok && result.data) {
          setRendered(result.data);
          setError(null);
        } else if (result && !result.ok) setError(result.error);
      }),
    [preview, workspaceId, templateId, version],
  );

  useEffect(() => load(contact?.id ?? null), [load, contact]);

  useEffect(() => {
    const timer = setTimeout(async () => {
      const result = await search(null, form({ workspaceId, q: query }));
      if (result?.ok && result.data) setOptions(result.data);
    }, 200);
    return () => clearTimeout(timer);
  }, [query, search, workspaceId]);

  return (
    <Card data-testid="template-preview">
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle>{t("title", { version })}</CardTitle>
        {channel === "email" ? (
          <Tabs value={width} onValueChange={(value) => setWidth(value as keyof typeof widths)}>
            <TabsList>
              <TabsTrigger value="desktop">
                <MonitorIcon />
                {t("desktop")}
              </TabsTrigger>
              <TabsTrigger value="mobile">
                <SmartphoneIcon />
                {t("mobile")}
              </TabsTrigger>
            </TabsList>
          </Tabs>
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="grid gap-2">
          <Label htmlFor="preview-contact">{t("contact")}</Label>
          <div className="flex flex-wrap items-center gap-2">
            <Input id="preview-contact" type="search" placeholder={t("searchPlaceholder")} value={query} onChange={(event) => setQuery(event.target.value)} className="max-w-xs" autoComplete="off" />
            <Badge variant={contact ? "secondary" : "outline"} data-testid="preview-as">
              {contact ? t("as", { contact: contact.label }) : t("sample")}
            </Badge>
            {contact ? (
              <Button type="button" variant="ghost" size="sm" onClick={() => setContact(null)}>
                {t("useSample")}
              </Button>
            ) : null}
          </div>
          {options.length > 0 ? (
            <ul className="flex flex-wrap gap-1" aria-label={t("matches")} data-testid="contact-options">
              {options.map((option) => (
                <li key={option.id}>
                  <Button type="button" variant={contact?.id === option.id ? "default" : "outline"} size="sm" onClick={() => setContact(option)}>
                    {option.label}
                    {option.email && option.email !== option.label ? <span className="text-muted-foreground text-xs">{option.email}</span> : null}
                  </Button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-muted-foreground text-xs">{query ? t("noMatches") : t("noContacts")}</p>
          )}
        </div>
        {error ? (
          <p role="alert" className="text-destructive text-sm">
            {error}
          </p>
        ) : null}
        {rendered ? (
          <div className="grid gap-2" aria-busy={loading}>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              {rendered.from ? (
                <>
                  <dt className="text-muted-foreground">{t("from")}</dt>
                  <dd>{rendered.from}</dd>
                </>
              ) : null}
              {rendered.subject ? (
                <>
                  <dt className="text-muted-foreground">{channel === "email" ? t("subject") : t("titleLabel")}</dt>
                  <dd className="font-medium" data-testid="preview-subject">
                    {rendered.subject}
                  </dd>
                </>
              ) : null}
              {rendered.preheader ? (
                <>
                  <dt className="text-muted-foreground">{t("preheader")}</dt>
                  <dd>{rendered.preheader}</dd>
                </>
              ) : null}
              {rendered.url ? (
                <>
                  <dt className="text-muted-foreground">{t("url")}</dt>
                  <dd className="font-mono text-xs break-all">{rendered.url}</dd>
                </>
              ) : null}
            </dl>
            {rendered.html ? (
              <div className="bg-muted flex overflow-x-auto rounded-md p-3 [&>iframe]:mx-auto">
                <iframe
                  title={t("frame")}
                  data-testid="preview-frame"
                  sandbox=""
                  srcDoc={rendered.html}
                  style={{ width: widths[width], height: 640 }}
                  className="shrink-0 rounded border bg-white shadow-sm transition-[width]"
                />
              </div>
            ) : (
              <pre className="bg-muted max-h-96 overflow-auto rounded-md p-3 text-sm whitespace-pre-wrap" data-testid="preview-text">
                {rendered.text}
              </pre>
            )}
            {rendered.html ? (
              <details>
                <summary className="text-muted-foreground cursor-pointer text-sm">{t("plainText")}</summary>
                <pre className="bg-muted mt-2 max-h-72 overflow-auto rounded-md p-3 text-xs whitespace-pre-wrap">{rendered.text}</pre>
              </details>
            ) : null}
          </div>
        ) : loading ? (
          <Loader2Icon className="text-muted-foreground animate-spin" aria-label={t("loading")} />
        ) : null}
        {canSendTest ? (
          <div className="flex flex-wrap items-center gap-3 border-t pt-4">
            <Button
              type="button"
              variant="secondary"
              disabled={sending}
              onClick={() =>
                startSending(async () => {
                  const result = await sendTest(null, form({ workspaceId, id: templateId, version, contactId: contact?.id }));
                  setTest(result?.ok && result.data ? { ok: true, result: result.data } : { ok: false, error: result && !result.ok ? result.error : t("testFailed") });
                })
              }
            >
              {sending ? <Loader2Icon className="animate-spin" /> : <SendIcon />}
              {t("sendTest")}
            </Button>
            {test ? (
              test.ok ? (
                <p role="status" className="text-sm" data-testid="test-result">
                  {t("testResult", { to: test.result.to, status: tStatus.has(test.result.status) ? tStatus(test.result.status) : test.result.status })}
                  {test.result.reason ? <span className="text-muted-foreground"> ({test.result.reason})</span> : null}{" "}
                  <Link className="underline underline-offset-2" href={`${messagesHref}/${test.result.messageId}`}>
                    {t("viewTest")}
                  </Link>
                </p>
              ) : (
                <p role="alert" className="text-destructive text-sm" data-testid="test-result">
                  {test.error}
                </p>
              )
            ) : (
              <p className="text-muted-foreground text-xs">{t("sendTestHelp")}</p>
            )}
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { FileTextIcon } from "lucide-react";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";

/**
 * What was sent, as the recipient got it. The HTML runs in a sandboxed iframe with no scripts,
 * no same-origin access and no navigation, so a message can neither act in the app nor follow
 * its tracked links.
 */
export function MessageContent({
  html,
  text,
  headers,
  height = 560,
}: {
  html: string | null;
  text: string | null;
  headers: Array<[string, string]>;
  height?: number;
}) {
  const t = useTranslations("messages.content");
  const first = html ? "html" : "text";
  if (!html && !text) {
    return (
      <div className="grid gap-4">
        <div className="text-muted-foreground flex items-start gap-2 text-sm" data-testid="no-content">
          <FileTextIcon className="mt-0.5 size-4 shrink-0" />
          <p>{t("none")}</p>
        </div>
        {headers.length > 0 ? <HeaderList headers={headers} /> : null}
      </div>
    );
  }
  return (
    <Tabs defaultValue={first} className="gap-3">
      <TabsList>
        {html ? <TabsTrigger value="html">{t("html")}</TabsTrigger> : null}
        <TabsTrigger value="text" disabled={!text}>
          {t("text")}
        </TabsTrigger>
        <TabsTrigger value="headers">{t("headers")}</TabsTrigger>
      </TabsList>
      {html ? (
        <TabsContent value="html">
          <iframe
            title={t("htmlTitle")}
            sandbox=""
            srcDoc={html}
            referrerPolicy="no-referrer"
            className="w-full resize-y rounded-md border bg-white"
            style={{ height }}
            data-testid="message-html"
          />
        </TabsContent>
      ) : null}
      <TabsContent value="text">
        <pre className="bg-muted/40 max-h-[560px] overflow-auto rounded-md border p-4 font-mono text-xs whitespace-pre-wrap" data-testid="message-text">
          {text}
        </pre>
      </TabsContent>
      <TabsContent value="headers">
        {headers.length === 0 ? <p className="text-muted-foreground text-sm">{t("noHeaders")}</p> : <HeaderList headers={headers} />}
      </TabsContent>
    </Tabs>
  );
}

function HeaderList({ headers }: { headers: Array<[string, string]> }) {
  return (
    <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-1.5 rounded-md border p-4 text-sm" data-testid="message-headers">
      {headers.map(([name, value]) => (
        <div key={name} className="contents">
          <dt className="text-muted-foreground font-mono text-xs leading-5">{name}</dt>
          <dd className="min-w-0 font-mono text-xs leading-5 break-all">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

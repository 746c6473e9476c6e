"use client";

import { useState } from "react";
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import type { JSONContent } from "@tiptap/core";
import type { Channel, JsonObject, TemplateFormat } from "@/db/schema";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Textarea } from "@/components/ui/textarea";

// The editor needs the DOM (ProseMirror): load it in the browser only.
export const liquidExample = '{{ contact.first_name | default: "there" }}';

function Help({ text }: { text: string }) {
  return (
    <p className="text-muted-foreground text-xs">
      {text} <code className="bg-muted rounded px-1 font-mono">{liquidExample}</code>
    </p>
  );
}

const VisualEditor = dynamic(() => import("./visual-editor"), { ssr: false, loading: () => <Skeleton className="h-64 w-full" /> });

/** The content part of a template, by channel and format; reports the new content as JSON. */
export function ContentEditor({
  channel,
  format,
  content,
  editable,
  error,
  onChange,
}: {
  channel: Channel;
  format: TemplateFormat;
  content: JsonObject;
  editable: boolean;
  error?: string;
  onChange: (content: JsonObject) => void;
}) {
  const t = useTranslations("templates.content");
  const errorLine = error ? (
    <p role="alert" className="text-destructive text-sm">
      {error}
    </p>
  ) : null;

  if (format === "visual") {
    return (
      <div className="grid gap-2">
        <Label>{t("visual")}</Label>
        <Help text={t("visualHelp")} />
        <VisualEditor document={content.document as JSONContent} editable={editable} label={t("visual")} onChange={(document) => onChange({ document: document as JsonObject })} />
        {errorLine}
      </div>
    );
  }

  if (format === "code") {
    return <CodeProps content={content} editable={editable} error={error} onChange={onChange} />;
  }

  const field = (key: "text" | "title" | "url", label: string, multiline: boolean) => (
    <div className="grid gap-2" key={key}>
      <Label htmlFor={`content-${key}`}>{label}</Label>
      {multiline ? (
        <Textarea id={`content-${key}`} className="font-mono text-sm" rows={channel === "webhook" ? 10 : 5} value={String(content[key] ?? "")} readOnly={!editable} onChange={(event) => onChange({ ...content, [key]: event.target.value })} />
      ) : (
        <Input id={`content-${key}`} value={String(content[key] ?? "")} readOnly={!editable} onChange={(event) => onChange({ ...content, [key]: event.target.value })} />
      )}
    </div>
  );
  return (
    <div className="grid gap-4">
      {channel === "inbox" ? field("title", t("title"), false) : null}
      {channel === "webhook" ? field("url", t("webhookUrl"), false) : null}
      {field("text", channel === "webhook" ? t("webhookBody") : t("text"), true)}
      {channel === "inbox" ? field("url", t("inboxUrl"), false) : null}
      <Help text={channel === "webhook" ? t("webhookHelp") : t("liquidHelp")} />
      {errorLine}
    </div>
  );
}

// Code templates: the component is fixed by the file in emails/; its props are edited as JSON.
function CodeProps({ content, editable, error, onChange }: { content: JsonObject; editable: boolean; error?: string; onChange: (content: JsonObject) => void }) {
  const t = useTranslations("templates.content");
  const [notJson, setNotJson] = useState(false);
  return (
    <div className="grid gap-2">
      <Label htmlFor="content-props">{t("props", { component: String(content.component) })}</Label>
      <Help text={t("propsHelp")} />
      <Textarea
        id="content-props"
        className="font-mono text-xs"
        rows={16}
        readOnly={!editable}
        defaultValue={JSON.stringify(content.props ?? {}, null, 2)}
        onChange={(event) => {
          try {
            onChange({ component: content.component ?? "welcome", props: JSON.parse(event.target.value) });
            setNotJson(false);
          } catch {
            setNotJson(true);
          }
        }}
      />
      {notJson || error ? (
        <p role="alert" className="text-destructive text-sm">
          {notJson ? t("notJson") : error}
        </p>
      ) : null}
    </div>
  );
}

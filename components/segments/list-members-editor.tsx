"use client";

import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import Papa from "papaparse";
import { FileUpIcon, Loader2Icon, UserMinusIcon, UserPlusIcon } from "lucide-react";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Progress } from "@/components/ui/progress";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { Textarea } from "@/components/ui/textarea";

type Result = { matched: number; changed: number; members: number; missing: string[]; missingCount: number };
type Change = (previous: ActionState<Result>, formData: FormData) => Promise<ActionState<Result>>;
type Mode = "add" | "remove";

// What the server takes in one call; a CSV is sent in pieces of this many values.
const pieceSize = 5000;

interface Summary {
  mode: Mode;
  matched: number;
  changed: number;
  members: number;
  missing: string[];
  missingCount: number;
}

function merge(summary: Summary | undefined, mode: Mode, result: Result): Summary {
  return {
    mode,
    matched: (summary?.matched ?? 0) + result.matched,
    changed: (summary?.changed ?? 0) + result.changed,
    members: result.members,
    missing: [...(summary?.missing ?? []), ...result.missing].slice(0, 20),
    missingCount: (summary?.missingCount ?? 0) + result.missingCount,
  };
}

/** A static list's members, added or removed by pasting identifiers or from a CSV column (streamed, in pieces, with progress). */
export function ListMembersEditor({ workspaceId, segmentId, action }: { workspaceId: string; segmentId: string; action: Change }) {
  const t = useTranslations("segments.listMembers");
  const format = useFormatter();
  const router = useRouter();
  const [text, setText] = useState("");
  const [file, setFile] = useState<File>();
  const [columns, setColumns] = useState<string[]>([]);
  const [column, setColumn] = useState<string>("");
  const [progress, setProgress] = useState<number>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const [summary, setSummary] = useState<Summary>();
  const fileInput = useRef<HTMLInputElement>(null);

  async function send(mode: Mode, identifiers: string[], previous: Summary | undefined): Promise<Summary | undefined> {
    const form = new FormData();
    form.set("workspaceId", workspaceId);
    form.set("id", segmentId);
    form.set("mode", mode);
    form.set("identifiers", identifiers.join("\n"));
    const result = await action(null, form);
    if (!result?.ok) {
      const field = result?.fieldErrors?.identifiers;
      setError(field && t.has(`errors.${field}`) ? t(`errors.${field}`) : (result?.error ?? t("errors.failed")));
      return undefined;
    }
    return merge(previous, mode, result.data!);
  }

  async function fromText(mode: Mode) {
    setError(undefined);
    setSummary(undefined);
    setPending(true);
    const done = await send(mode, text.split(/\r?\n/), undefined);
    setPending(false);
    if (done) {
      setSummary(done);
      setText("");
      router.refresh();
    }
  }

  function chooseFile(chosen: File | undefined) {
    setFile(chosen);
    setColumns([]);
    setError(undefined);
    setSummary(undefined);
    if (!chosen) return;
    Papa.parse<string[]>(chosen, {
      preview: 1,
      complete: (parsed) => {
        const header = (parsed.data[0] ?? []).map((cell) => String(cell).trim()).filter(Boolean);
        if (header.length === 0) {
          setError(t("errors.noHeader"));
          return;
        }
        setColumns(header);
        setColumn(header.find((name) => /e-?mail|邮箱/i.test(name)) ?? header.find((name) => /external|user.?id|id$/i.test(name)) ?? header[0]);
      },
      error: () => setError(t("errors.unreadable")),
    });
  }

  function fromFile(mode: Mode) {
    if (!file || !column) return;
    setError(undefined);
    setSummary(undefined);
    setPending(true);
    setProgress(0);
    const values: string[] = [];
    let running: Summary | undefined;
    let failed = false;
    // Sends full pieces (or, at the end, what is left) one after another.
    const sendPieces = async (all: boolean) => {
      while (!failed && (values.length >= pieceSize || (all && values.length > 0))) {
        const next = await send(mode, values.splice(0, pieceSize), running);
        if (next) running = next;
        else failed = true;
      }
    };
    Papa.parse<Record<string, string>>(file, {
      header: true,
      skipEmptyLines: true,
      chunkSize: 256 * 1024,
      chunk: (results, parser) => {
        for (const row of results.data) {
          const value = row[column]?.trim();
          if (value) values.push(value);
        }
        setProgress(Math.min(99, Math.round((results.meta.cursor / file.size) * 100)));
        if (values.length >= pieceSize) {
          // The file is read no faster than the server takes it: memory stays at one piece.
          parser.pause();
          void sendPieces(false).then(() => (failed ? parser.abort() : parser.resume()));
        }
      },
      complete: () => {
        void sendPieces(true).then(() => {
          setPending(false);
          setProgress(undefined);
          if (running) {
            setSummary(running);
            router.refresh();
          } else if (!failed) {
            setError(t("errors.list_empty"));
          }
        });
      },
      error: () => {
        setPending(false);
        setProgress(undefined);
        setError(t("errors.unreadable"));
      },
    });
  }

  const buttons = (onRun: (mode: Mode) => void, disabled: boolean) => (
    <div className="flex flex-wrap gap-2">
      <Button type="button" onClick={() => onRun("add")} disabled={disabled || pending}>
        {pending ? <Loader2Icon className="animate-spin" /> : <UserPlusIcon />}
        {t("add")}
      </Button>
      <Button type="button" variant="outline" onClick={() => onRun("remove")} disabled={disabled || pending}>
        <UserMinusIcon />
        {t("remove")}
      </Button>
    </div>
  );

  return (
    <Card data-testid="list-members-editor">
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <Tabs defaultValue="paste">
          <TabsList>
            <TabsTrigger value="paste">{t("paste")}</TabsTrigger>
            <TabsTrigger value="csv">{t("csv")}</TabsTrigger>
          </TabsList>
          <TabsContent value="paste" className="grid gap-2 pt-2">
            <Label htmlFor="list-identifiers">{t("identifiersLabel")}</Label>
            <Textarea
              id="list-identifiers"
              rows={5}
              value={text}
              onChange={(event) => setText(event.target.value)}
              placeholder={"ann@example.com\nbob@example.com\nuser-42"}
              aria-invalid={Boolean(error)}
              aria-describedby="list-identifiers-hint"
            />
            <p id="list-identifiers-hint" className="text-muted-foreground text-xs">
              {t("identifiersHint", { limit: format.number(pieceSize) })}
            </p>
            {buttons(fromText, !text.trim())}
          </TabsContent>
          <TabsContent value="csv" className="grid gap-2 pt-2">
            <Label htmlFor="list-file">{t("fileLabel")}</Label>
            <input
              ref={fileInput}
              id="list-file"
              type="file"
              accept=".csv,text/csv"
              className="file:bg-muted text-sm file:mr-3 file:rounded-md file:border-0 file:px-3 file:py-1.5"
              onChange={(event) => chooseFile(event.target.files?.[0])}
            />
            {columns.length > 0 ? (
              <div className="grid gap-1">
                <Label htmlFor="list-column">{t("columnLabel")}</Label>
                <Select value={column} onValueChange={setColumn}>
                  <SelectTrigger id="list-column" className="w-64">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    {columns.map((name) => (
                      <SelectItem key={name} value={name}>
                        {name}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              </div>
            ) : (
              <p className="text-muted-foreground flex items-center gap-1 text-xs">
                <FileUpIcon className="size-3.5" aria-hidden />
                {t("fileHint")}
              </p>
            )}
            {progress !== undefined ? <Progress value={progress} aria-label={t("progress")} /> : null}
            {buttons(fromFile, !file || columns.length === 0)}
          </TabsContent>
        </Tabs>
        {error ? (
          <p className="text-destructive text-sm" role="alert">
            {error}
          </p>
        ) : null}
        {summary ? (
          <div className="grid gap-1 text-sm" role="status" data-testid="list-change-summary">
            <p>
              {t(summary.mode === "add" ? "added" : "removed", {
                changed: format.number(summary.changed),
                matched: format.number(summary.matched),
                members: format.number(summary.members),
              })}
            </p>
            {summary.missingCount > 0 ? (
              <p className="text-muted-foreground">
                {t("missing", { count: summary.missingCount, formatted: format.number(summary.missingCount), examples: summary.missing.join(", ") })}
              </p>
            ) : null}
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}

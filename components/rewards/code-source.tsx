"use client";

import { useTranslations } from "next-intl";
import Papa from "papaparse";
import { FileUpIcon } from "lucide-react";
import type { ActionState } from "@/lib/auth/action";
import { Label } from "@/components/ui/label";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { Textarea } from "@/components/ui/textarea";
import { NativeSelect } from "@/components/broadcasts/native-select";

// Where a pool's codes come from: pasted, or a column of a CSV file. A file is read in chunks
// and sent in pieces, each waiting for the one before, so memory stays at one piece whatever
// the file's size.

export type UploadResult = { added: number; skipped: number; blank: number };
export type UploadCodes = (previous: ActionState<UploadResult>, formData: FormData) => Promise<ActionState<UploadResult>>;

export interface CodeSource {
  mode: "paste" | "file";
  text: string;
  file?: File;
  /** The first row's cells (a header, or the first codes). */
  firstRow: string[];
  column: number;
  hasHeader: boolean;
  unreadable?: boolean;
}

export const emptySource: CodeSource = { mode: "paste", text: "", firstRow: [], column: 0, hasHeader: false };

/** What the server takes in one call. */
export const pieceSize = 2000;

export function pastedCodes(text: string): string[] {
  return text
    .split(/[\r\n,;\t]+/)
    .map((code) => code.trim())
    .filter(Boolean);
}

export function sourceReady(source: CodeSource): boolean {
  return source.mode === "paste" ? pastedCodes(source.text).length > 0 : Boolean(source.file) && source.firstRow.length > 0;
}

const looksLikeHeader = (cell: string) => /^(codes?|coupons?|coupon.?codes?|voucher|券码|卡券|兑换码|优惠码)$/i.test(cell.trim());

/** Reads the file's first row, to offer its columns and guess whether it is a header. */
export function readFirstRow(file: File, done: (patch: Partial<CodeSource>) => void) {
  Papa.parse<string[]>(file, {
    preview: 1,
    skipEmptyLines: true,
    complete: (parsed) => {
      const row = (parsed.data[0] ?? []).map((cell) => String(cell).trim());
      if (row.length === 0) return done({ firstRow: [], unreadable: true });
      const header = row.findIndex(looksLikeHeader);
      done({ firstRow: row, hasHeader: header >= 0, column: Math.max(header, 0), unreadable: false });
    },
    error: () => done({ firstRow: [], unreadable: true }),
  });
}

export type SendOutcome = { ok: true; result: UploadResult } | { ok: false; error: string; result: UploadResult };

/** Sends the codes to a campaign in pieces; `progress` is 0-100 (bytes of a file read, or pieces of a paste sent). */
export async function sendCodes(
  source: CodeSource,
  target: { workspaceId: string; campaignId: string; upload: UploadCodes },
  progress: (percent: number) => void,
  failed: string,
): Promise<SendOutcome> {
  const total: UploadResult = { added: 0, skipped: 0, blank: 0 };
  async function send(codes: string[]): Promise<string | undefined> {
    const form = new FormData();
    form.set("workspaceId", target.workspaceId);
    form.set("id", target.campaignId);
    form.set("codes", JSON.stringify(codes));
    const state = await target.upload(null, form).catch(() => null);
    if (!state?.ok || !state.data) return (state && !state.ok ? (Object.values(state.fieldErrors ?? {})[0] ?? state.error) : undefined) ?? failed;
    total.added += state.data.added;
    total.skipped += state.data.skipped;
    total.blank += state.data.blank;
    return undefined;
  }

  if (source.mode === "paste") {
    const codes = pastedCodes(source.text);
    for (let start = 0; start < codes.length; start += pieceSize) {
      const error = await send(codes.slice(start, start + pieceSize));
      if (error) return { ok: false, error, result: total };
      progress(Math.round(((start + pieceSize) / codes.length) * 100));
    }
    return { ok: true, result: total };
  }

  const file = source.file!;
  return new Promise((resolve) => {
    const codes: string[] = [];
    let first = true;
    let error: string | undefined;
    const flush = async (all: boolean) => {
      while (!error && (codes.length >= pieceSize || (all && codes.length > 0))) error = await send(codes.splice(0, pieceSize));
    };
    Papa.parse<string[]>(file, {
      skipEmptyLines: true,
      chunkSize: 256 * 1024,
      chunk: (results, parser) => {
        for (const row of results.data) {
          if (first && source.hasHeader) {
            first = false;
            continue;
          }
          first = false;
          const code = String(row[source.column] ?? "").trim();
          if (code) codes.push(code);
        }
        progress(Math.min(99, Math.round((results.meta.cursor / file.size) * 100)));
        if (codes.length >= pieceSize) {
          parser.pause();
          void flush(false).then(() => (error ? parser.abort() : parser.resume()));
        }
      },
      complete: () => {
        void flush(true).then(() => {
          progress(100);
          resolve(error ? { ok: false, error, result: total } : { ok: true, result: total });
        });
      },
      error: () => resolve({ ok: false, error: failed, result: total }),
    });
  });
}

/** Paste or pick a CSV file (and its column): the form's part, controlled by its owner. */
export function CodeSourceFields({ source, onChange, error, disabled }: { source: CodeSource; onChange: (source: CodeSource) => void; error?: string; disabled?: boolean }) {
  const t = useTranslations("rewards.codes");
  const count = pastedCodes(source.text).length;
  return (
    <Tabs value={source.mode} onValueChange={(mode) => onChange({ ...source, mode: mode as CodeSource["mode"] })} data-testid="code-source">
      <TabsList>
        <TabsTrigger value="paste" disabled={disabled}>
          {t("paste")}
        </TabsTrigger>
        <TabsTrigger value="file" disabled={disabled}>
          {t("file")}
        </TabsTrigger>
      </TabsList>
      <TabsContent value="paste" className="grid gap-2 pt-2">
        <Label htmlFor="codes-text">{t("pasteLabel")}</Label>
        <Textarea
          id="codes-text"
          rows={6}
          className="font-mono text-xs"
          value={source.text}
          disabled={disabled}
          onChange={(event) => onChange({ ...source, text: event.target.value })}
          placeholder={"SPRING-7KQ2M9\nSPRING-H4X8TC\nSPRING-3NW6RP"}
          aria-invalid={error ? true : undefined}
          aria-describedby="codes-text-hint"
        />
        <p id="codes-text-hint" className="text-muted-foreground text-xs">
          {count > 0 ? t("pasteCount", { count }) : t("pasteHint")}
        </p>
      </TabsContent>
      <TabsContent value="file" className="grid gap-2 pt-2">
        <Label htmlFor="codes-file">{t("fileLabel")}</Label>
        <input
          id="codes-file"
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          disabled={disabled}
          className="file:bg-muted text-sm file:mr-3 file:rounded-md file:border-0 file:px-3 file:py-1.5"
          onChange={(event) => {
            const file = event.target.files?.[0];
            const next = { ...source, file, firstRow: [], column: 0, hasHeader: false, unreadable: false };
            onChange(next);
            if (file) readFirstRow(file, (patch) => onChange({ ...next, ...patch }));
          }}
          aria-describedby="codes-file-hint"
        />
        {source.firstRow.length > 0 ? (
          <div className="flex flex-wrap items-end gap-4">
            {source.firstRow.length > 1 ? (
              <div className="grid gap-1">
                <Label htmlFor="codes-column">{t("column")}</Label>
                <NativeSelect id="codes-column" className="w-64" value={String(source.column)} disabled={disabled} onChange={(event) => onChange({ ...source, column: Number(event.target.value) })}>
                  {source.firstRow.map((cell, index) => (
                    <option key={index} value={index}>
                      {source.hasHeader ? cell || t("columnN", { n: index + 1 }) : t("columnExample", { n: index + 1, example: cell })}
                    </option>
                  ))}
                </NativeSelect>
              </div>
            ) : null}
            <label className="flex items-center gap-2 pb-2 text-sm">
              <input type="checkbox" className="accent-primary size-4" checked={source.hasHeader} disabled={disabled} onChange={(event) => onChange({ ...source, hasHeader: event.target.checked })} />
              {t("hasHeader", { first: source.firstRow[source.column] ?? "" })}
            </label>
          </div>
        ) : (
          <p id="codes-file-hint" className={`flex items-center gap-1 text-xs ${source.unreadable ? "text-destructive" : "text-muted-foreground"}`}>
            <FileUpIcon className="size-3.5" aria-hidden />
            {source.unreadable ? t("unreadable") : t("fileHint")}
          </p>
        )}
      </TabsContent>
      {error ? (
        <p className="text-destructive text-sm" role="alert">
          {error}
        </p>
      ) : null}
    </Tabs>
  );
}

"use client";

import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { CircleAlertIcon, FileUpIcon } from "lucide-react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { maxFileBytes, uploadPartBytes } from "@/lib/imports/limits";
import { cn } from "@/lib/utils";

type State = { phase: "idle" } | { phase: "uploading"; name: string; sent: number; size: number } | { phase: "error"; message: string };

const csvName = /\.(csv|tsv|txt)$/i;

async function failure(response: Response): Promise<{ code?: string; message: string }> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    return { code: body.error?.code, message: body.error?.message ?? response.statusText };
  } catch {
    return { message: `${response.status} ${response.statusText}` };
  }
}

// Step 1. The file goes up in 4 MB parts (serverless hosts cap a request body at 4.5 MB) and
// the server stores each part as it streams in; then the mapping step opens.
export function UploadDropzone({ workspaceId, slug }: { workspaceId: string; slug: string }) {
  const t = useTranslations("imports.upload");
  const format = useFormatter();
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<State>({ phase: "idle" });
  const [dragging, setDragging] = useState(false);
  const size = (bytes: number) =>
    bytes >= 1024 * 1024
      ? `${format.number(bytes / 1024 / 1024, { maximumFractionDigits: 1 })} MB`
      : `${format.number(Math.ceil(bytes / 1024))} KB`;

  async function upload(file: File) {
    if (!csvName.test(file.name)) return setState({ phase: "error", message: t("wrongType", { name: file.name }) });
    if (file.size > maxFileBytes) return setState({ phase: "error", message: t("tooLarge", { name: file.name }) });
    setState({ phase: "uploading", name: file.name, sent: 0, size: file.size });
    try {
      const created = await fetch(`/api/ui/imports?workspace=${workspaceId}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ fileName: file.name, size: file.size }),
      });
      if (!created.ok) {
        const problem = await failure(created);
        throw new Error(problem.code === "payload_too_large" ? t("tooLarge", { name: file.name }) : t("failed", { message: problem.message }));
      }
      const { id } = (await created.json()) as { id: string };
      let offset = 0;
      do {
        const end = Math.min(offset + uploadPartBytes, file.size);
        const response = await fetch(
          `/api/ui/imports/${id}/parts?workspace=${workspaceId}&offset=${offset}&last=${end >= file.size ? 1 : 0}`,
          { method: "POST", body: file.slice(offset, end) },
        );
        if (!response.ok) throw new Error(t("failed", { message: (await failure(response)).message }));
        offset = end;
        setState({ phase: "uploading", name: file.name, sent: offset, size: file.size });
      } while (offset < file.size);
      router.push(`/w/${slug}/contacts/import/${id}`);
    } catch (error) {
      setState({ phase: "error", message: error instanceof Error ? error.message : String(error) });
    }
  }

  const busy = state.phase === "uploading";
  return (
    <div className="grid gap-4">
      <div
        data-testid="import-dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          if (!busy) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          const file = event.dataTransfer.files[0];
          if (file && !busy) void upload(file);
        }}
        className={cn(
          "flex flex-col items-center gap-3 rounded-lg border-2 border-dashed p-8 text-center transition-colors",
          dragging ? "border-primary bg-primary/5" : "border-border",
        )}
      >
        <div className="bg-muted flex size-12 items-center justify-center rounded-full">
          <FileUpIcon className="size-6" aria-hidden />
        </div>
        {busy ? (
          <div className="grid w-full max-w-md gap-2" aria-live="polite">
            <p className="text-sm font-medium">{t("uploading", { name: state.name })}</p>
            <Progress value={state.size ? (state.sent / state.size) * 100 : 100} aria-label={t("uploading", { name: state.name })} />
            <p className="text-muted-foreground text-xs">{t("uploaded", { sent: size(state.sent), size: size(state.size) })}</p>
          </div>
        ) : (
          <>
            <p className="text-sm font-medium">{t("drop")}</p>
            <p className="text-muted-foreground text-xs">{t("or")}</p>
            <Button type="button" onClick={() => input.current?.click()}>
              {t("choose")}
            </Button>
          </>
        )}
        <input
          ref={input}
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
          className="sr-only"
          tabIndex={-1}
          aria-label={t("choose")}
          data-testid="import-file"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = "";
            if (file) void upload(file);
          }}
        />
      </div>
      {state.phase === "error" ? (
        <Alert variant="destructive" role="alert">
          <CircleAlertIcon />
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
    </div>
  );
}

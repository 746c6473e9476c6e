"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { Loader2Icon, UploadIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { CodeSourceFields, emptySource, sendCodes, sourceReady, type CodeSource, type UploadCodes, type UploadResult } from "./code-source";
import { useRewardsErrorText } from "./error-text";

/** Adds codes to a pool campaign: pasted, or a CSV file sent in pieces with a progress bar. */
export function AddCodes({ workspaceId, campaignId, upload }: { workspaceId: string; campaignId: string; upload: UploadCodes }) {
  const t = useTranslations("rewards.codes");
  const format = useFormatter();
  const router = useRouter();
  const errorText = useRewardsErrorText();
  const [source, setSource] = useState<CodeSource>(emptySource);
  const [pending, setPending] = useState(false);
  const [progress, setProgress] = useState<number>();
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<UploadResult>();

  async function run() {
    setError(undefined);
    setResult(undefined);
    setPending(true);
    setProgress(0);
    const outcome = await sendCodes(source, { workspaceId, campaignId, upload }, setProgress, t("failed"));
    setPending(false);
    setProgress(undefined);
    setResult(outcome.result);
    if (!outcome.ok) setError(errorText(outcome.error) ?? outcome.error);
    else setSource(emptySource);
    router.refresh();
  }

  return (
    <div className="grid gap-3" data-testid="add-codes">
      <CodeSourceFields source={source} onChange={setSource} error={error} disabled={pending} />
      {progress !== undefined ? (
        <div className="grid gap-1" data-testid="upload-progress">
          <Progress value={progress} aria-label={t("uploading")} />
          <p className="text-muted-foreground text-xs">{t("uploadingPercent", { percent: progress })}</p>
        </div>
      ) : null}
      {result ? (
        <p className="text-sm" role="status" data-testid="upload-result">
          {t("result", { added: result.added, addedText: format.number(result.added), skipped: result.skipped, skippedText: format.number(result.skipped) })}
        </p>
      ) : null}
      <div>
        <Button type="button" onClick={() => void run()} disabled={pending || !sourceReady(source)} aria-busy={pending}>
          {pending ? <Loader2Icon className="animate-spin" /> : <UploadIcon />}
          {t("add")}
        </Button>
      </div>
    </div>
  );
}

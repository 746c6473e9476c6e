import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { CheckCircle2Icon, CircleIcon, MegaphoneIcon, PlusIcon } from "lucide-react";
import { EmptyState } from "@/components/shell/empty-state";
import { Button } from "@/components/ui/button";

/** What a broadcast needs first (a template with a saved version, a segment or list), with links to make them; or the button to start one. */
export async function MissingParts({ slug, templates, segments, canEdit = true, bare = false }: { slug: string; templates: boolean; segments: boolean; canEdit?: boolean; bare?: boolean }) {
  const t = await getTranslations("broadcasts.empty");
  const base = `/w/${slug}`;
  const ready = templates && segments;
  const steps = [
    { done: templates, label: t("stepTemplate"), href: `${base}/templates/new`, action: t("createTemplate") },
    { done: segments, label: t("stepSegment"), href: `${base}/segments/new`, action: t("createSegment") },
  ];
  return (
    <EmptyState testId="broadcasts-empty" icon={MegaphoneIcon} title={ready ? t("title") : t("notReadyTitle")} body={ready ? t("body") : t("notReadyBody")} bare={bare}>
      {!canEdit ? (
        <p className="text-muted-foreground text-sm">{t("askMarketer")}</p>
      ) : ready ? (
        <Button asChild>
          <Link href={`${base}/broadcasts/new`}>
            <PlusIcon />
            {t("create")}
          </Link>
        </Button>
      ) : (
        <ol className="grid w-full max-w-md gap-2 text-left text-sm" data-testid="broadcast-prerequisites">
          {steps.map((step) => (
            <li key={step.href} className="flex items-center gap-3 rounded-md border p-3">
              {step.done ? <CheckCircle2Icon className="size-5 shrink-0 text-emerald-600" aria-hidden /> : <CircleIcon className="text-muted-foreground size-5 shrink-0" aria-hidden />}
              <span className={step.done ? "text-muted-foreground flex-1 line-through" : "flex-1"}>{step.label}</span>
              {step.done ? null : (
                <Button asChild size="sm" variant="outline">
                  <Link href={step.href}>{step.action}</Link>
                </Button>
              )}
            </li>
          ))}
          <li className="text-muted-foreground flex items-center gap-3 rounded-md border border-dashed p-3">
            <CircleIcon className="size-5 shrink-0" aria-hidden />
            <span className="flex-1">{t("stepBroadcast")}</span>
          </li>
        </ol>
      )}
    </EmptyState>
  );
}

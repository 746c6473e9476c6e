import { useTranslations } from "next-intl";
import { CheckIcon } from "lucide-react";
import { cn } from "@/lib/utils";

const steps = ["upload", "map", "import"] as const;

/** Where the person is in upload → map → import. */
export function ImportSteps({ current }: { current: (typeof steps)[number] }) {
  const t = useTranslations("imports.steps");
  const at = steps.indexOf(current);
  return (
    <ol aria-label={t("label")} className="flex flex-wrap items-center gap-2 text-sm">
      {steps.map((step, index) => (
        <li key={step} className="flex items-center gap-2" aria-current={index === at ? "step" : undefined}>
          {index > 0 ? <span className="bg-border h-px w-6" aria-hidden /> : null}
          <span
            className={cn(
              "flex size-6 items-center justify-center rounded-full border text-xs font-medium",
              index < at && "bg-primary text-primary-foreground border-primary",
              index === at && "border-primary text-primary",
              index > at && "text-muted-foreground",
            )}
            aria-hidden
          >
            {index < at ? <CheckIcon className="size-3.5" /> : index + 1}
          </span>
          <span className={cn(index === at ? "font-medium" : "text-muted-foreground")}>{t(step)}</span>
        </li>
      ))}
    </ol>
  );
}

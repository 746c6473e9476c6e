"use client";

import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { LanguagesIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { setLocale } from "@/lib/i18n/actions";

const names = { en: "English", "zh-CN": "简体中文" } as const;

export function LocaleSwitcher() {
  const locale = useLocale();
  const t = useTranslations("common");
  const router = useRouter();
  const [pending, start] = useTransition();
  const other = locale === "zh-CN" ? "en" : "zh-CN";
  return (
    <Button
      variant="ghost"
      size="sm"
      disabled={pending}
      aria-label={t("language")}
      onClick={() =>
        start(async () => {
          await setLocale(other);
          router.refresh();
        })
      }
    >
      <LanguagesIcon />
      {names[other]}
    </Button>
  );
}

"use client";

import { useTranslations } from "next-intl";

/** A field error's code (monitors.errors.<code>) in words; a message that is not one of ours stays as it is. */
export function useMonitorErrorText() {
  const t = useTranslations("monitors.errors");
  return (code: string | undefined) => (code === undefined ? undefined : t.has(code as never) ? t(code as never) : code);
}

"use client";

import { useTranslations } from "next-intl";

/** A field error's code (rewards.errors.<code>) in words; a message that is not one of ours stays as it is. */
export function useRewardsErrorText() {
  const t = useTranslations("rewards.errors");
  return (code: string | undefined) => (code === undefined ? undefined : t.has(code as never) ? t(code as never) : code);
}

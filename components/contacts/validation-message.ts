"use client";

import { useCallback } from "react";
import { useTranslations } from "next-intl";

// Field errors arrive as keys; errors.validation already translated the shared ones on the
// server, and this turns the contacts form's own keys into words.
export function useValidationMessage() {
  const t = useTranslations("contacts.validation");
  return useCallback((message: string) => (t.has(message as never) ? t(message as never) : message), [t]);
}

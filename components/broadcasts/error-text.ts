"use client";

import { useTranslations } from "next-intl";

/** A field error's code (broadcasts.errors.<code>) in words; a message that is not one of ours stays as it is. */
export function useErrorText() {
  const t = useTranslations("broadcasts.errors");
  return (code: string) => (t.has(code as never) ? t(code as never) : code);
}

/** The error for a field path: its own, or the first of a part under it (audience.include.2 for audience.include). */
export function errorAt(errors: Record<string, string>, path: string, options: { exact?: boolean } = {}): string | undefined {
  if (errors[path]) return errors[path];
  if (options.exact) return undefined;
  const key = Object.keys(errors).find((key) => key.startsWith(`${path}.`));
  return key ? errors[key] : undefined;
}

import { headers } from "next/headers";
import { createTranslator } from "next-intl";
import { loadMessages } from "@/lib/i18n/messages";
import { recipientLocale } from "@/lib/messages/unsubscribe";
import type { Locale } from "@/lib/i18n/locales";

export type Translate = (key: string, values?: Record<string, string | number>) => string;

/** The "preferences" strings in a given language (the request's own locale is the member's, not the recipient's). */
export async function preferencesTranslator(locale: Locale): Promise<Translate> {
  const messages = await loadMessages(locale);
  return createTranslator({ locale, messages, namespace: "preferences" }) as unknown as Translate;
}

/** The recipient's language (their contact locale, else Accept-Language) and its strings. */
export async function recipientTranslator(contactLocale: string | null | undefined) {
  const locale = recipientLocale(contactLocale, (await headers()).get("accept-language"));
  return { locale, t: await preferencesTranslator(locale) };
}

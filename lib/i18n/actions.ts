"use server";

import { cookies } from "next/headers";
import { isLocale, localeCookie } from "./locales";

export async function setLocale(locale: string): Promise<void> {
  if (!isLocale(locale)) return;
  (await cookies()).set(localeCookie, locale, { path: "/", maxAge: 365 * 86_400, sameSite: "lax" });
}

import type { Locale } from "./locales";

// One file per namespace and locale (lib/i18n/messages/<locale>/<namespace>.json), so features
// add their own strings without touching each other's. A new namespace is added here.
export const namespaces = [
  "common",
  "roles",
  "errors",
  "setup",
  "login",
  "invite",
  "newWorkspace",
  "nav",
  "home",
  "settings",
  "members",
  "keys",
  "contacts",
  "attributes",
  "imports",
  "segments",
  "templates",
  "messages",
  "messaging",
  "preferences",
  "topics",
  "broadcasts",
  "dashboard",
  "tasks",
  "journeys",
  "scoring",
  "monitors",
  "rewards",
] as const;

export async function loadMessages(locale: Locale): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    namespaces.map(async (namespace) => {
      const file = await import(`./messages/${locale}/${namespace}.json`);
      return [namespace, file.default] as const;
    }),
  );
  return Object.fromEntries(entries);
}

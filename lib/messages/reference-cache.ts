import type { Db } from "@/db/client";

// A few seconds' memory of what every send of a workspace reads the same (its name and
// timezone, sending settings with decrypted secrets, default sender, template versions), so a
// broadcast's ten thousandth message does not read them again. Saving any of them forgets
// the workspace's entries in this process; another process sees a change within `ttlMs`.

const ttlMs = 2000;
const entries = new Map<string, { until: number; value: Promise<unknown> }>();
const handles = new WeakMap<Db, number>();
let nextHandle = 1;

function handleOf(db: Db): number {
  let id = handles.get(db);
  if (!id) handles.set(db, (id = nextHandle++));
  return id;
}

export function remember<T>(db: Db, workspaceId: string, key: string, load: () => Promise<T>): Promise<T> {
  const id = `${handleOf(db)}|${workspaceId}|${key}`;
  const now = Date.now();
  const hit = entries.get(id);
  if (hit && hit.until > now) return hit.value as Promise<T>;
  if (entries.size > 5000) for (const [name, entry] of entries) if (entry.until <= now) entries.delete(name);
  const value = load();
  entries.set(id, { until: now + ttlMs, value });
  value.catch(() => entries.delete(id));
  return value;
}

/** After a save: the workspace's entries are read again on next use. */
export function forgetWorkspace(workspaceId: string): void {
  for (const name of entries.keys()) if (name.includes(`|${workspaceId}|`)) entries.delete(name);
}

// Postgres text and jsonb cannot hold U+0000, so input holding it is refused with the path
// where it was found ("" for the value itself), never left to fail an insert.
export function nulPath(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path : undefined;
  if (!value || typeof value !== "object") return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes("\u0000")) return at;
    const found = nulPath(inner, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

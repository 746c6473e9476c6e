// Postgres text and jsonb cannot hold U+0000 or a lone UTF-16 surrogate, so input holding one
// is refused with the path where it was found ("" for the value itself), never left to fail
// an insert.
function storable(text: string): boolean {
  return !text.includes("\u0000") && text.isWellFormed();
}

export function nulPath(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return storable(value) ? undefined : path;
  if (!value || typeof value !== "object") return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (!storable(key)) return at;
    const found = nulPath(inner, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

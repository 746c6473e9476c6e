// Postgres text and jsonb cannot hold U+0000 or a lone UTF-16 surrogate, so input holding one
// is refused with the path where it was found ("" for the value itself), never left to fail
// an insert.
function storable(text: string): boolean {
  return !text.includes("\u0000") && text.isWellFormed();
}

export function nulPath(value: unknown, path = ""): string | undefined {
  const found = unstorableAt(value);
  if (found === undefined) return undefined;
  return [path, ...found].filter(Boolean).join(".");
}

// The keys leading to the first unstorable string, innermost last; paths are only built for
// the rare value that has one (this walks every tracking call).
function unstorableAt(value: unknown): string[] | undefined {
  if (typeof value === "string") return storable(value) ? undefined : [];
  if (value === null || typeof value !== "object") return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = unstorableAt(value[index]);
      if (found !== undefined) return [String(index), ...found];
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!storable(key)) return [key];
    const found = unstorableAt((value as Record<string, unknown>)[key]);
    if (found !== undefined) return [key, ...found];
  }
  return undefined;
}

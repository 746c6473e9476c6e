import type { Json } from "@/db/schema";

/** A sample attribute value as JSON, cut short (the full text on hover). */
export function SampleValue({ value }: { value: Json | null }) {
  if (value === null || value === undefined) return <span className="text-muted-foreground">—</span>;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return (
    <code className="bg-muted block truncate rounded px-1.5 py-0.5 font-mono text-xs" title={text}>
      {text}
    </code>
  );
}

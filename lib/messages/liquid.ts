import { Liquid, type Template } from "liquidjs";

// Two engines: one escapes every `{{ }}` output for HTML (a contact's name cannot inject
// markup), one leaves it as typed (subject, plain text, SMS, webhook bodies). Neither reads
// files: `templates: {}` makes include/render/layout look in an empty in-memory map.
const limits = { parseLimit: 2_000_000, renderLimit: 2_000, memoryLimit: 50_000_000 };
const htmlEngine = new Liquid({ outputEscape: "escape", templates: {}, ownPropertyOnly: true, ...limits });
const textEngine = new Liquid({ templates: {}, ownPropertyOnly: true, ...limits });

export type LiquidMode = "html" | "text";

/** A parsed template: plain strings without Liquid stay strings and cost nothing per recipient. */
export type Compiled = string | Template[];

export function compile(source: string, mode: LiquidMode): Compiled {
  if (!source.includes("{{") && !source.includes("{%")) return source;
  return (mode === "html" ? htmlEngine : textEngine).parse(source);
}

export function renderCompiled(compiled: Compiled, mode: LiquidMode, scope: object): string {
  if (typeof compiled === "string") return compiled;
  return (mode === "html" ? htmlEngine : textEngine).renderSync(compiled, scope) as string;
}

/** Renders a Liquid string once (previews, tests); sends go through the cached versions. */
export function renderLiquid(source: string, mode: LiquidMode, scope: object): string {
  return renderCompiled(compile(source, mode), mode, scope);
}

/** The reason a Liquid string does not parse, or undefined when it does. */
export function liquidError(source: string): string | undefined {
  try {
    compile(source, "text");
    return undefined;
  } catch (error) {
    return (error as Error).message.split("\n")[0];
  }
}

const entities: Record<string, string> = { "&quot;": '"', "&#x27;": "'", "&#39;": "'", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " " };

// React escapes the quotes of `default: "there"` when it renders the layout; inside a Liquid
// tag they are Liquid syntax, not text, so they are put back before the layout is stored.
export function restoreLiquidTags(html: string): string {
  return html.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, (tag) => tag.replace(/&quot;|&#x27;|&#39;|&amp;|&lt;|&gt;|&nbsp;/g, (entity) => entities[entity]));
}

/** A small LRU of parsed versions: they are frozen, so a hit never goes stale. */
export class CompiledCache<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly size = 500) {}
  get(key: string, make: () => T): T {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = make();
    this.entries.set(key, value);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
  clear() {
    this.entries.clear();
  }
}

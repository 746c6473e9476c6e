import { Liquid, type Template } from "liquidjs";

// Two engines: one escapes every `{{ }}` output for HTML (a contact's name cannot inject
// markup), one leaves it as typed (subject, plain text, SMS, webhook bodies). Neither reads
// files: `templates: {}` makes include/render/layout look in an empty in-memory map.
const limits = { parseLimit: 2_000_000, renderLimit: 2_000, memoryLimit: 50_000_000 };
const htmlEngine = new Liquid({ outputEscape: "escape", templates: {}, ownPropertyOnly: true, ...limits });
const textEngine = new Liquid({ templates: {}, ownPropertyOnly: true, ...limits });

export type LiquidMode = "html" | "text";

/**
 * A parsed template. Plain strings stay strings. A template made only of `{{ output }}` tags
 * (what layouts are) is kept flat: static parts around expressions, each expression evaluated
 * once per recipient however often it appears, shared by HTML, text and subject, and escaped
 * here for HTML. Anything with `{% tags %}` is rendered by liquidjs as a whole.
 */
export type Compiled = string | { kind: "full"; templates: Template[] } | Flat;
interface Flat {
  kind: "flat";
  parts: string[];
  expressions: Expression[];
}
interface Expression {
  source: string;
  template: Template[];
  raw: boolean;
}

/** Expression values of one recipient, shared by the parts of one message. */
export type Memo = Map<string, string>;

const outputTag = /\{\{(-?)([\s\S]*?)(-?)\}\}/g;

function compileFlat(source: string): Flat | undefined {
  const parts: string[] = [];
  const expressions: Expression[] = [];
  let last = 0;
  let trimNext = false;
  for (const match of source.matchAll(outputTag)) {
    let before = source.slice(last, match.index);
    if (trimNext) before = before.trimStart();
    if (match[1]) before = before.trimEnd();
    parts.push(before);
    const expression = match[2].trim();
    // A quote or brace inside the expression could hide a `}}`: let liquidjs handle it.
    if (/[{}]/.test(expression)) return undefined;
    expressions.push({ source: expression, template: textEngine.parse(`{{ ${expression} }}`), raw: /\|\s*raw\b/.test(expression) });
    trimNext = Boolean(match[3]);
    last = match.index + match[0].length;
  }
  parts.push(trimNext ? source.slice(last).trimStart() : source.slice(last));
  return { kind: "flat", parts, expressions };
}

export function compile(source: string, mode: LiquidMode): Compiled {
  if (!source.includes("{{") && !source.includes("{%")) return source;
  const engine = mode === "html" ? htmlEngine : textEngine;
  // Parse the whole once anyway: a syntax error is reported the same way on both paths.
  const templates = engine.parse(source);
  if (!source.includes("{%")) {
    const flat = compileFlat(source);
    if (flat) return flat;
  }
  return { kind: "full", templates };
}

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (character) => escapes[character]);

export function renderCompiled(compiled: Compiled, mode: LiquidMode, scope: object, memo: Memo = new Map()): string {
  if (typeof compiled === "string") return compiled;
  if (compiled.kind === "full") return (mode === "html" ? htmlEngine : textEngine).renderSync(compiled.templates, scope) as string;
  let out = compiled.parts[0];
  for (let index = 0; index < compiled.expressions.length; index++) {
    const expression = compiled.expressions[index];
    let value = memo.get(expression.source);
    if (value === undefined) {
      value = textEngine.renderSync(expression.template, scope) as string;
      memo.set(expression.source, value);
    }
    out += (mode === "html" && !expression.raw ? escapeHtml(value) : value) + compiled.parts[index + 1];
  }
  return out;
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

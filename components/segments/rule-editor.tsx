"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Loader2Icon, TriangleAlertIcon } from "lucide-react";
import type { RuleGroupType } from "react-querybuilder";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { Textarea } from "@/components/ui/textarea";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/auth/action";
import type { RuleProblem } from "@/lib/segments/rule";
import { RuleBuilder, fieldTypes, type BuilderCatalogue } from "./rule-builder";
import { queryToRule, ruleToQuery } from "./rule-codec";

export type PreviewData = {
  count: number;
  sample: Array<{ id: string; email: string | null; external_id: string | null; first_name: string | null; last_name: string | null }>;
};
/** A segment action's state; a refused rule also brings its problem's code and params. */
export type RuleActionState<T> = (ActionState<T> & { problem?: RuleProblem }) | null;
type Preview = (previous: RuleActionState<PreviewData>, formData: FormData) => Promise<RuleActionState<PreviewData>>;
type ShownProblem = Pick<RuleProblem, "path" | "message"> & Partial<Pick<RuleProblem, "code" | "params">>;

const pretty = (rule: unknown) => JSON.stringify(rule, null, 2);

/** Builder and JSON views over one rule, with a live count of the contacts it selects. */
export function RuleEditor({
  initialRule,
  onRuleChange,
  catalogue,
  workspaceId,
  slug,
  preview,
}: {
  initialRule: unknown;
  onRuleChange: (rule: unknown | undefined) => void;
  catalogue: BuilderCatalogue;
  workspaceId: string;
  slug: string;
  preview: Preview;
}) {
  const t = useTranslations("segments.editor");
  const types = useMemo(() => fieldTypes(catalogue), [catalogue]);
  const typeOf = (field: string) => types[field];
  const [rule, setRule] = useState<unknown>(initialRule);
  const [text, setText] = useState(() => pretty(initialRule));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [query, setQuery] = useState<RuleGroupType | undefined>(() => ruleToQuery(initialRule, typeOf));

  function fromBuilder(next: RuleGroupType) {
    const written = queryToRule(next, typeOf);
    setQuery(next);
    setRule(written);
    setText(pretty(written));
    setJsonError(null);
    onRuleChange(written);
  }

  function fromJson(next: string) {
    setText(next);
    try {
      const parsed = JSON.parse(next) as unknown;
      setJsonError(null);
      setRule(parsed);
      setQuery(ruleToQuery(parsed, typeOf));
      onRuleChange(parsed);
    } catch (error) {
      setJsonError((error as Error).message);
      onRuleChange(undefined);
    }
  }

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_18rem]">
      <Tabs defaultValue="builder" className="min-w-0">
        <TabsList>
          <TabsTrigger value="builder">{t("builder")}</TabsTrigger>
          <TabsTrigger value="json">{t("json")}</TabsTrigger>
        </TabsList>
        <TabsContent value="builder" className="pt-2">
          {query ? (
            <RuleBuilder query={query} onChange={fromBuilder} catalogue={catalogue} />
          ) : (
            <div className="grid gap-2 rounded-lg border border-dashed p-4 text-sm" data-testid="builder-unavailable">
              <p className="text-muted-foreground">{jsonError ? t("fixJsonFirst") : t("builderCannotShow")}</p>
              <pre className="bg-muted max-h-64 overflow-auto rounded p-2 font-mono text-xs">{text}</pre>
              {!jsonError ? (
                <Button type="button" variant="outline" size="sm" className="justify-self-start" onClick={() => fromBuilder({ combinator: "and", rules: [] })}>
                  {t("startOver")}
                </Button>
              ) : null}
            </div>
          )}
        </TabsContent>
        <TabsContent value="json" className="grid gap-2 pt-2">
          <Textarea
            aria-label={t("jsonLabel")}
            data-testid="rule-json"
            className="min-h-72 font-mono text-xs"
            spellCheck={false}
            value={text}
            onChange={(event) => fromJson(event.target.value)}
            aria-invalid={jsonError !== null}
          />
          {jsonError ? (
            <p className="text-destructive text-sm" role="alert">
              {t("notJson", { reason: jsonError })}
            </p>
          ) : (
            <p className="text-muted-foreground text-xs">{t("jsonHelp")}</p>
          )}
        </TabsContent>
      </Tabs>
      <LivePreview rule={jsonError ? undefined : rule} workspaceId={workspaceId} slug={slug} preview={preview} />
    </div>
  );
}

function LivePreview({ rule, workspaceId, slug, preview }: { rule: unknown; workspaceId: string; slug: string; preview: Preview }) {
  const t = useTranslations("segments.editor");
  const format = useFormatter();
  const [state, setState] = useState<RuleActionState<PreviewData>>(null);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);
  const key = rule === undefined ? "" : JSON.stringify(rule);

  // Debounced: one preview ~400 ms after the last change; a late answer to an older rule is dropped.
  useEffect(() => {
    if (!key) return;
    const request = ++latest.current;
    const timer = setTimeout(async () => {
      setLoading(true);
      const form = new FormData();
      form.set("workspaceId", workspaceId);
      form.set("rule", key);
      const result = await preview(null, form).catch(() => ({ ok: false as const, error: t("previewFailed") }));
      if (request === latest.current) {
        setState(result);
        setLoading(false);
      }
    }, 400);
    return () => clearTimeout(timer);
  }, [key, workspaceId, preview, t]);

  const problem = ruleProblemIn(state);
  return (
    <aside className="grid content-start gap-3 rounded-lg border p-4" aria-live="polite" data-testid="rule-preview">
      <div className="flex items-center justify-between">
        <h3 className="text-sm font-medium">{t("previewTitle")}</h3>
        {loading ? <Loader2Icon className="text-muted-foreground size-4 animate-spin" aria-label={t("counting")} /> : null}
      </div>
      {state?.ok && state.data ? (
        <>
          <p className="text-2xl font-semibold" data-testid="preview-count">
            {t("matching", { count: state.data.count, formatted: format.number(state.data.count) })}
          </p>
          {state.data.sample.length > 0 ? (
            <ul className="grid gap-1 text-sm">
              {state.data.sample.map((contact) => (
                <li key={contact.id} className="truncate">
                  <Link className="hover:underline" href={`/w/${slug}/contacts/${contact.id}`}>
                    {contact.email ?? contact.external_id ?? ([contact.first_name, contact.last_name].filter(Boolean).join(" ") || contact.id)}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-muted-foreground text-sm">{t("noneMatch")}</p>
          )}
        </>
      ) : state && !state.ok ? (
        <div className="text-destructive grid gap-1 text-sm" role="alert" data-testid="preview-error">
          <p className="flex items-center gap-1 font-medium">
            <TriangleAlertIcon className="size-4" aria-hidden />
            {t("invalidRule")}
          </p>
          {problem ? (
            <p>
              <RuleProblemText problem={problem} />
            </p>
          ) : (
            <p>{state.error}</p>
          )}
        </div>
      ) : (
        <p className="text-muted-foreground text-sm">{rule === undefined ? t("fixJsonFirst") : t("counting")}</p>
      )}
    </aside>
  );
}

/** A refused rule's problem in a segment action's state, else its first field error on the rule. */
export function ruleProblemIn(state: RuleActionState<unknown>): ShownProblem | undefined {
  if (!state || state.ok) return undefined;
  if (state.problem) return state.problem;
  const fieldError = Object.entries(state.fieldErrors ?? {}).find(([path]) => path.startsWith("$") || path === "rule");
  return fieldError ? { path: fieldError[0], message: fieldError[1] } : undefined;
}

/** Where the rule is wrong, as a code badge, and why, in the reader's language (English when there is no translation). */
export function RuleProblemText({ problem }: { problem: ShownProblem }) {
  const t = useTranslations("segments.validation");
  const { code } = problem;
  return (
    <>
      <code className="bg-muted rounded px-1 font-mono text-xs">{problem.path}</code> {code && t.has(code) ? t(code, problem.params) : problem.message}
    </>
  );
}

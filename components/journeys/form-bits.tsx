"use client";

import { useState, type ReactNode } from "react";
import type { z } from "zod";
import { delayData, durationUnits, nodeDataSchemas, updateData, waitData, type NodeType } from "@/lib/journeys/graph";
import type { JourneyProblem } from "@/lib/journeys/validate";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/form/field";
import { NativeSelect } from "@/components/broadcasts/native-select";
import type { Say } from "./node-summary";
import { problemText } from "./problems";

const updateActions = ["set_attribute", "add_tag", "remove_tag", "set_lifecycle_stage"];

/** The schema a node's data answers to: for a union, the branch its mode/for/action picks. */
function schemaFor(type: NodeType, data: Record<string, unknown>): z.ZodType {
  if (type === "delay") return delayData.options[data.mode === "until" ? 1 : 0];
  if (type === "wait") return waitData.options[data.for === "segment" ? 1 : 0];
  if (type === "update") return updateData.options[Math.max(0, updateActions.indexOf(String(data.action)))];
  return nodeDataSchemas[type];
}

function valueAt(data: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), data);
}

/** An issue in words; "missing" when the field was left empty or unchosen (the form may say that in its own words). */
function issueText(say: Say, issue: z.core.$ZodIssue, value: unknown): { missing: boolean; text: string } {
  const empty = value === undefined || value === null || value === "";
  if (issue.message === "time_format") return { missing: empty, text: say(empty ? "errors.required" : "errors.time") };
  switch (issue.code) {
    case "invalid_type":
      return empty ? { missing: true, text: say("errors.required") } : { missing: false, text: say("errors.invalid") };
    case "too_small":
      if (issue.origin === "string") return { missing: true, text: say("errors.required") };
      if (issue.origin === "array") return { missing: false, text: say("errors.minItems", { min: Number(issue.minimum) }) };
      return { missing: false, text: say("errors.min", { min: Number(issue.minimum) }) };
    case "too_big":
      if (issue.origin === "string") return { missing: false, text: say("errors.tooLong", { max: Number(issue.maximum) }) };
      if (issue.origin === "array") return { missing: false, text: say("errors.maxItems", { max: Number(issue.maximum) }) };
      return { missing: false, text: say("errors.max", { max: Number(issue.maximum) }) };
    case "invalid_format":
      if (issue.format === "url") return { missing: empty, text: say(empty ? "errors.required" : "errors.url") };
      if (issue.format === "uuid" || issue.format === "guid") return { missing: true, text: say("errors.pick") };
      return { missing: false, text: say("errors.invalid") };
    case "invalid_value":
      return { missing: empty, text: say("errors.pick") };
    default:
      return { missing: false, text: say("errors.invalid") };
  }
}

/**
 * Field errors for a node's form: the node's zod schema (shown once a field has been left, or
 * everywhere after a publish attempt) and the problems publishing found at a path in the node.
 */
export function useNodeErrors(say: Say, type: NodeType, data: Record<string, unknown>, problems: JourneyProblem[], showAll: boolean) {
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const parsed = schemaFor(type, data).safeParse(data);
  const issues = parsed.success ? [] : parsed.error.issues;
  function error(path: string, required?: string): string | undefined {
    const issue = issues.find((candidate) => candidate.path.map(String).join(".") === path);
    if (issue && (showAll || touched.has(path))) {
      const { missing, text } = issueText(say, issue, valueAt(data, path));
      return missing && required ? required : text;
    }
    const problem = problems.find((candidate) => candidate.path === `data.${path}` || candidate.path?.startsWith(`data.${path}.`));
    return problem ? problemText(say, problem) : undefined;
  }
  const touch = (path: string) => setTouched((current) => (current.has(path) ? current : new Set(current).add(path)));
  return { error, touch };
}

/** A label, its control, a hint and the field's error, wired for screen readers. */
export function FormRow({ id, label, hint, error, children }: { id: string; label: string; hint?: ReactNode; error?: string; children: ReactNode }) {
  return (
    <div className="grid content-start gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint && !error ? (
        <p id={`${id}-hint`} className="text-muted-foreground text-xs">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/** aria props that tie a control to its row's hint and error. */
export function described(id: string, error: string | undefined, hint = false) {
  const ids = [hint && !error ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return { "aria-invalid": error ? true : undefined, "aria-describedby": ids || undefined };
}

/** A number input's value: a number, or undefined when empty (the schema then says it is required). */
export function numberOf(text: string): number | undefined {
  if (text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** An amount and a unit (minutes, hours, days). */
export function DurationField({
  id,
  label,
  value,
  onChange,
  onBlur,
  error,
  say,
}: {
  id: string;
  label: string;
  value: unknown;
  onChange: (value: { amount?: number; unit: string }) => void;
  onBlur: () => void;
  error?: string;
  say: Say;
}) {
  const current = (value && typeof value === "object" ? value : {}) as { amount?: number; unit?: string };
  const unit = current.unit ?? "days";
  return (
    <FormRow id={id} label={label} error={error}>
      <div className="flex gap-2">
        <Input
          id={id}
          type="number"
          min={1}
          inputMode="numeric"
          className="w-24"
          value={current.amount ?? ""}
          onChange={(event) => onChange({ amount: numberOf(event.target.value), unit })}
          onBlur={onBlur}
          {...described(id, error)}
        />
        <NativeSelect aria-label={say("form.unit")} className="flex-1" value={unit} onChange={(event) => onChange({ amount: current.amount, unit: event.target.value })}>
          {durationUnits.map((option) => (
            <option key={option} value={option}>
              {say(`units.${option}`)}
            </option>
          ))}
        </NativeSelect>
      </div>
    </FormRow>
  );
}

/** What every node form gets: the node's data, a way to change it, the pickers' options and the errors. */
export interface NodeFormProps {
  nodeId: string;
  data: Record<string, unknown>;
  /** Replaces the node's data; `field` groups quick edits of one field into one undo step. */
  onChange: (data: Record<string, unknown>, field?: string) => void;
  options: import("./types").JourneyOptions;
  tools: import("./rule-field").RuleTools;
  errors: ReturnType<typeof useNodeErrors>;
  say: Say;
  disabled: boolean;
}

/** The data without the keys whose value is undefined (so the stored JSON stays clean). */
export function clean(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
}

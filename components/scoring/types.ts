import type { ActionState } from "@/lib/auth/action";
import type { RuleProblem } from "@/lib/segments/rule";

/** A Scoring page action's state: a refused rule also brings its problem and the field it is in (`rule` or `where`). */
export type ScoringActionState<T = unknown> = (ActionState<T> & { problem?: RuleProblem & { field: string } }) | null;

export type ScoringAction<T = unknown> = (previous: ScoringActionState<T>, formData: FormData) => Promise<ScoringActionState<T>>;

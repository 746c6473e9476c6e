"use client";

import { useState, useTransition } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { CircleCheckIcon, CircleSlashIcon, FlaskConicalIcon, Loader2Icon } from "lucide-react";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { ContactPicker, contactText, type FindContacts, type PickedContact } from "@/components/rewards/contact-picker";
import { useMonitorErrorText } from "./error-text";

export type TestResult = { events: number; matches: Array<{ eventId: number; at: string; value: number }> };
export type TestMonitor = (previous: ActionState<TestResult>, formData: FormData) => Promise<ActionState<TestResult>>;

/** "Test against a contact": replays one contact's past events through the monitor as the form has it, and says when it would have fired. */
export function TestPanel({
  workspaceId,
  body,
  event,
  timeZone,
  find,
  test,
  canTest,
}: {
  workspaceId: string;
  /** The monitor as the form has it now, in monitorInput's shape. */
  body: unknown;
  event: string;
  timeZone: string;
  find: FindContacts;
  test: TestMonitor;
  /** False while the form has something that cannot be sent (JSON that does not parse). */
  canTest: boolean;
}) {
  const t = useTranslations("monitors.test");
  const format = useFormatter();
  const errorText = useMonitorErrorText();
  const [contact, setContact] = useState<PickedContact | null>(null);
  const [state, setState] = useState<{ contact: PickedContact; body: string; result: ActionState<TestResult> } | null>(null);
  const [pending, start] = useTransition();
  const bodyText = JSON.stringify(body);

  function run() {
    if (!contact) return;
    const form = new FormData();
    form.set("workspaceId", workspaceId);
    form.set("contactId", contact.id);
    form.set("body", bodyText);
    start(async () => {
      const result = await test(null, form);
      setState({ contact, body: bodyText, result });
    });
  }

  const result = state?.result;
  const stale = state !== null && (state.body !== bodyText || state.contact.id !== contact?.id);
  // A refusal names the first field to fix in the form above, else says what went wrong.
  const refusal = result && !result.ok ? (errorText(Object.values(result.fieldErrors ?? {})[0]) ?? result.error) : undefined;

  return (
    <div className="grid gap-4" data-testid="monitor-test">
      <div className="grid items-start gap-3 md:grid-cols-[1fr_auto]">
        <ContactPicker workspaceId={workspaceId} find={find} value={contact} onChange={setContact} label={t("contact")} />
        <Button type="button" variant="secondary" className="md:mt-[1.375rem]" disabled={!contact || pending || !canTest} onClick={run} aria-busy={pending}>
          {pending ? <Loader2Icon className="animate-spin" /> : <FlaskConicalIcon />}
          {t("run")}
        </Button>
      </div>
      {!canTest ? <p className="text-muted-foreground text-xs">{t("fixFirst")}</p> : null}
      {result && state ? (
        <div className={`grid gap-2 rounded-lg border p-3 text-sm ${stale ? "opacity-60" : ""}`} aria-live="polite" data-testid="test-result">
          {result.ok && result.data ? (
            <>
              <p className="text-muted-foreground">{t("replayed", { count: result.data.events, event, contact: contactText(state.contact) })}</p>
              {result.data.matches.length > 0 ? (
                <>
                  <p className="flex items-center gap-2 font-medium text-emerald-700 dark:text-emerald-400">
                    <CircleCheckIcon className="size-4" aria-hidden />
                    {t("wouldFire", { count: result.data.matches.length })}
                  </p>
                  <ol className="grid gap-1 pl-6" data-testid="test-matches">
                    {result.data.matches.map((match) => (
                      <li key={match.eventId} className="list-decimal tabular-nums">
                        {t("firedAt", { time: format.dateTime(new Date(match.at), { dateStyle: "medium", timeStyle: "short", timeZone }), value: format.number(match.value) })}
                      </li>
                    ))}
                  </ol>
                </>
              ) : (
                <p className="flex items-center gap-2 font-medium">
                  <CircleSlashIcon className="size-4" aria-hidden />
                  {t("wouldNotFire")}
                </p>
              )}
              {stale ? <p className="text-muted-foreground text-xs">{t("stale")}</p> : null}
            </>
          ) : (
            <p className="text-destructive" role="alert">
              {refusal}
            </p>
          )}
        </div>
      ) : null}
    </div>
  );
}

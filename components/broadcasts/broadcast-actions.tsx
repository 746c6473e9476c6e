"use client";

import { useActionState, useState, type ReactNode } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { CalendarClockIcon, CalendarXIcon, CopyIcon, Loader2Icon, PauseIcon, PencilIcon, PlayIcon, SendIcon, Trash2Icon, XCircleIcon } from "lucide-react";
import { toast } from "sonner";
import type { BroadcastStatus } from "@/db/schema";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { useErrorText } from "./error-text";

type Action<T = unknown> = (previous: ActionState<T>, formData: FormData) => Promise<ActionState<T>>;

export interface BroadcastActionSet {
  send: Action<{ status: BroadcastStatus }>;
  unschedule: Action;
  pause: Action;
  resume: Action;
  cancel: Action;
  remove: Action;
  duplicate: Action<{ id: string }>;
}

/** The buttons a broadcast's state allows: send or schedule a draft, unschedule, pause, resume, cancel, edit, delete, duplicate. */
export function BroadcastActions({
  workspaceId,
  slug,
  broadcast,
  audience,
  planned,
  actions,
}: {
  workspaceId: string;
  slug: string;
  broadcast: { id: string; name: string; status: BroadcastStatus; scheduleKind: "now" | "at" | "local" };
  /** The audience's size now, in the reader's digits. */
  audience: string;
  /** When a scheduled draft would go: the time in words. */
  planned: string | null;
  actions: BroadcastActionSet;
}) {
  const t = useTranslations("broadcasts.actions");
  const router = useRouter();
  const base = `/w/${slug}/broadcasts`;
  const fields = { workspaceId, id: broadcast.id };
  const refresh = (message: string) => () => {
    toast.success(message);
    router.refresh();
  };
  const { status } = broadcast;

  return (
    <div className="flex flex-wrap items-start gap-2" data-testid="broadcast-actions">
      {status === "draft" ? (
        <>
          <ConfirmButton
            action={actions.send}
            fields={{ ...fields, when: "now" }}
            label={t("sendNow")}
            icon={<SendIcon />}
            title={t("sendNowTitle", { name: broadcast.name })}
            body={t("sendNowBody", { count: audience })}
            confirm={t("sendNowConfirm")}
            onDone={refresh(t("sendNowDone"))}
            variant={broadcast.scheduleKind === "now" ? "default" : "outline"}
          />
          {broadcast.scheduleKind !== "now" && planned ? (
            <ConfirmButton
              action={actions.send}
              fields={{ ...fields, when: "planned" }}
              label={t("schedule")}
              icon={<CalendarClockIcon />}
              title={t("scheduleTitle", { name: broadcast.name })}
              body={t("scheduleBody", { count: audience, when: planned })}
              confirm={t("scheduleConfirm")}
              onDone={refresh(t("scheduleDone"))}
            />
          ) : null}
          <Button asChild variant="outline">
            <Link href={`${base}/${broadcast.id}/edit`}>
              <PencilIcon />
              {t("edit")}
            </Link>
          </Button>
        </>
      ) : null}
      {status === "scheduled" ? <PlainButton action={actions.unschedule} fields={fields} label={t("unschedule")} icon={<CalendarXIcon />} onDone={refresh(t("unscheduleDone"))} /> : null}
      {status === "sending" ? <PlainButton action={actions.pause} fields={fields} label={t("pause")} icon={<PauseIcon />} onDone={refresh(t("pauseDone"))} /> : null}
      {status === "paused" ? <PlainButton action={actions.resume} fields={fields} label={t("resume")} icon={<PlayIcon />} onDone={refresh(t("resumeDone"))} /> : null}
      {status === "scheduled" || status === "sending" || status === "paused" ? (
        <ConfirmButton
          action={actions.cancel}
          fields={fields}
          label={t("cancel")}
          icon={<XCircleIcon />}
          title={t("cancelTitle", { name: broadcast.name })}
          body={t("cancelBody")}
          confirm={t("cancelConfirm")}
          onDone={refresh(t("cancelDone"))}
          dismiss={t("keep")}
          variant="destructive"
        />
      ) : null}
      <PlainButton
        action={actions.duplicate}
        fields={fields}
        label={t("duplicate")}
        icon={<CopyIcon />}
        onDone={(data) => {
          toast.success(t("duplicateDone"));
          if (data && typeof data === "object" && "id" in data) router.push(`${base}/${String(data.id)}/edit`);
        }}
      />
      {status === "draft" || status === "cancelled" ? (
        <ConfirmButton
          action={actions.remove}
          fields={fields}
          label={t("delete")}
          icon={<Trash2Icon />}
          title={t("deleteTitle", { name: broadcast.name })}
          body={t("deleteBody")}
          confirm={t("deleteConfirm")}
          onDone={() => {
            toast.success(t("deleteDone", { name: broadcast.name }));
            router.push(base);
          }}
          variant="destructive"
        />
      ) : null}
    </div>
  );
}

function useRun<T>(action: Action<T>, onDone: (data: T | undefined) => void) {
  const errorText = useErrorText();
  return useActionState<ActionState<T>, FormData>(async (previous, formData) => {
    const result = await action(previous, formData);
    if (result?.ok) onDone(result.data);
    else if (result) toast.error(Object.values(result.fieldErrors ?? {}).map(errorText)[0] ?? result.error);
    return result;
  }, null);
}

function Hidden({ fields }: { fields: Record<string, string> }) {
  return Object.entries(fields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
}

function PlainButton<T>({ action, fields, label, icon, onDone }: { action: Action<T>; fields: Record<string, string>; label: string; icon: ReactNode; onDone: (data: T | undefined) => void }) {
  const [, run, pending] = useRun(action, onDone);
  return (
    <form action={run}>
      <Hidden fields={fields} />
      <Button type="submit" variant="outline" disabled={pending} aria-busy={pending}>
        {pending ? <Loader2Icon className="animate-spin" /> : icon}
        {label}
      </Button>
    </form>
  );
}

function ConfirmButton<T>({
  action,
  fields,
  label,
  icon,
  title,
  body,
  confirm,
  onDone,
  dismiss,
  variant = "outline",
}: {
  action: Action<T>;
  fields: Record<string, string>;
  label: string;
  icon: ReactNode;
  title: string;
  body: string;
  confirm: string;
  onDone: (data: T | undefined) => void;
  /** The button that closes the dialog (default: Cancel). */
  dismiss?: string;
  variant?: "default" | "outline" | "destructive";
}) {
  const tCommon = useTranslations("common");
  const [open, setOpen] = useState(false);
  const [, run, pending] = useRun(action, (data) => {
    setOpen(false);
    onDone(data);
  });
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant={variant}>
          {icon}
          {label}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form action={run} className="grid gap-4">
          <Hidden fields={fields} />
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>{body}</DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                {dismiss ?? tCommon("cancel")}
              </Button>
            </DialogClose>
            <Button type="submit" variant={variant === "destructive" ? "destructive" : "default"} disabled={pending} aria-busy={pending}>
              {pending ? <Loader2Icon className="animate-spin" /> : null}
              {confirm}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

"use client";

import { useActionState, useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Loader2Icon } from "lucide-react";
import { toast } from "sonner";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";

// One-button forms for a state change (activate, pause, mark done), with or without a
// confirmation dialog, a toast for the outcome and the refusal's reason when there is one.

export type Action<T = unknown> = (previous: ActionState<T>, formData: FormData) => Promise<ActionState<T>>;

function useRun<T>(action: Action<T>, onDone: (data: T | undefined) => void) {
  return useActionState<ActionState<T>, FormData>(async (previous, formData) => {
    const result = await action(previous, formData);
    if (result?.ok) onDone(result.data);
    else if (result) toast.error(result.error);
    return result;
  }, null);
}

function Hidden({ fields }: { fields: Record<string, string> }) {
  return Object.entries(fields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
}

export function PlainButton<T>({
  action,
  fields,
  label,
  icon,
  onDone,
  variant = "outline",
  size,
}: {
  action: Action<T>;
  fields: Record<string, string>;
  label: string;
  icon: ReactNode;
  onDone: (data: T | undefined) => void;
  variant?: "default" | "outline" | "ghost" | "secondary";
  size?: "sm" | "default";
}) {
  const [, run, pending] = useRun(action, onDone);
  return (
    <form action={run}>
      <Hidden fields={fields} />
      <Button type="submit" variant={variant} size={size} disabled={pending} aria-busy={pending}>
        {pending ? <Loader2Icon className="animate-spin" /> : icon}
        {label}
      </Button>
    </form>
  );
}

export function ConfirmButton<T>({
  action,
  fields,
  label,
  icon,
  title,
  body,
  confirm,
  onDone,
  variant = "outline",
  trigger,
}: {
  action: Action<T>;
  fields: Record<string, string>;
  label: string;
  icon: ReactNode;
  title: string;
  body: string;
  confirm: string;
  onDone: (data: T | undefined) => void;
  /** The confirming button's look (destructive for what cannot be undone). */
  variant?: "default" | "outline" | "destructive";
  /** The opening button's look, when it differs. */
  trigger?: "default" | "outline" | "destructive";
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
        <Button variant={trigger ?? variant}>
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
                {tCommon("cancel")}
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

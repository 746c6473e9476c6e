"use client";

import { useActionState } from "react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { Loader2Icon, RefreshCwIcon, Trash2Icon } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FormAlert } from "@/components/form/form-alert";
import type { ActionState } from "@/lib/auth/action";

type Result = { entered: number; exited: number; members: number };
type Recompute = (previous: ActionState<Result>, formData: FormData) => Promise<ActionState<Result>>;
type Delete = (previous: ActionState, formData: FormData) => Promise<ActionState>;

/** Runs a full recompute and waits for it; the button says so while it works. */
export function RecomputeButton({ workspaceId, segmentId, action }: { workspaceId: string; segmentId: string; action: Recompute }) {
  const t = useTranslations("segments.page");
  const format = useFormatter();
  const [state, run, pending] = useActionState<ActionState<Result>, FormData>(async (previous, formData) => {
    const result = await action(previous, formData);
    if (result?.ok && result.data) {
      toast.success(t("recomputed", { entered: format.number(result.data.entered), exited: format.number(result.data.exited), members: format.number(result.data.members) }));
    }
    return result;
  }, null);
  const problem = state && !state.ok ? Object.entries(state.fieldErrors ?? {})[0] : undefined;
  return (
    <form action={run} className="grid justify-items-end gap-1">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <input type="hidden" name="id" value={segmentId} />
      <Button type="submit" variant="outline" disabled={pending} aria-busy={pending}>
        {pending ? <Loader2Icon className="animate-spin" /> : <RefreshCwIcon />}
        {pending ? t("recomputing") : t("recompute")}
      </Button>
      {state && !state.ok ? (
        <p className="text-destructive text-sm" role="alert">
          {problem ? `${problem[0]}: ${problem[1]}` : state.error}
        </p>
      ) : null}
    </form>
  );
}

export function DeleteSegmentButton({ workspaceId, segment, listHref, action }: { workspaceId: string; segment: { id: string; name: string }; listHref: string; action: Delete }) {
  const t = useTranslations("segments.delete");
  const tCommon = useTranslations("common");
  const router = useRouter();
  const [state, run, pending] = useActionState<ActionState, FormData>(async (previous, formData) => {
    const result = await action(previous, formData);
    if (result?.ok) {
      toast.success(t("done", { name: segment.name }));
      router.push(listHref);
    }
    return result;
  }, null);
  const usedBy = state && !state.ok ? state.fieldErrors?.usedBy : undefined;
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="destructive">
          <Trash2Icon />
          {t("open")}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form action={run} className="grid gap-4">
          <DialogHeader>
            <DialogTitle>{t("title", { name: segment.name })}</DialogTitle>
            <DialogDescription>{t("body")}</DialogDescription>
          </DialogHeader>
          {usedBy ? (
            <p className="text-destructive text-sm" role="alert" data-testid="delete-blocked">
              {t("usedBy", { names: usedBy })}
            </p>
          ) : (
            <FormAlert state={state} />
          )}
          <input type="hidden" name="workspaceId" value={workspaceId} />
          <input type="hidden" name="id" value={segment.id} />
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                {tCommon("cancel")}
              </Button>
            </DialogClose>
            <Button type="submit" variant="destructive" disabled={pending}>
              {pending ? <Loader2Icon className="animate-spin" /> : null}
              {t("confirm")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

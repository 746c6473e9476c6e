"use client";

import { startTransition, useActionState, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Loader2Icon, PlusIcon } from "lucide-react";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";

type Create = (previous: ActionState<{ id: string }>, formData: FormData) => Promise<ActionState<{ id: string }>>;

/** "New journey": a name, then straight onto the canvas. */
export function NewJourneyButton({ workspaceId, slug, create, label }: { workspaceId: string; slug: string; create: Create; label?: string }) {
  const t = useTranslations("journeys");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [state, run, pending] = useActionState<ActionState<{ id: string }>, FormData>(async (previous, formData) => {
    const result = await create(previous, formData);
    if (result?.ok && result.data) router.push(`/w/${slug}/journeys/${result.data.id}`);
    return result;
  }, null);
  const code = state && !state.ok ? state.fieldErrors?.name : undefined;
  const error = code ? (t.has(`errors.${code}`) ? t(`errors.${code}`) : code) : undefined;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon />
          {label ?? t("list.new")}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form
          className="grid gap-4"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const formData = new FormData(event.currentTarget);
            startTransition(() => run(formData));
          }}
        >
          <input type="hidden" name="workspaceId" value={workspaceId} />
          <DialogHeader>
            <DialogTitle>{t("create.title")}</DialogTitle>
            <DialogDescription>{t("create.body")}</DialogDescription>
          </DialogHeader>
          {state && !state.ok && !code ? <FormAlert state={state} /> : null}
          <div className="grid gap-2">
            <Label htmlFor="new-journey-name">{t("create.name")}</Label>
            <Input
              id="new-journey-name"
              name="name"
              maxLength={200}
              autoFocus
              placeholder={t("create.placeholder")}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "new-journey-name-error" : undefined}
            />
            <FieldError id="new-journey-name-error" message={error} />
          </div>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                {t("confirm.cancel")}
              </Button>
            </DialogClose>
            <Button type="submit" disabled={pending} aria-busy={pending}>
              {pending ? <Loader2Icon className="animate-spin" /> : null}
              {t("create.submit")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

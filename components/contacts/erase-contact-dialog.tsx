"use client";

import { useActionState, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Loader2Icon, Trash2Icon } from "lucide-react";
import { useFormStatus } from "react-dom";
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
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FormAlert } from "@/components/form/form-alert";
import type { ActionState } from "@/lib/auth/action";

type Erase = (previous: ActionState, formData: FormData) => Promise<ActionState>;

/** Erasing cannot be undone, so the button stays off until the email (or ERASE) is typed. */
export function EraseContactDialog({
  workspaceId,
  contact,
  listHref,
  action,
}: {
  workspaceId: string;
  contact: { id: string; email: string | null; name: string };
  listHref: string;
  action: Erase;
}) {
  const t = useTranslations("contacts.erase");
  const tCommon = useTranslations("common");
  const router = useRouter();
  const [typed, setTyped] = useState("");
  const word = typed.trim().toLowerCase();
  const confirmed = word === "erase" || (contact.email !== null && word === contact.email.toLowerCase());
  const [state, run] = useActionState<ActionState, FormData>(async (previous, formData) => {
    const result = await action(previous, formData);
    if (result?.ok) {
      toast.success(t("done", { name: contact.name }));
      router.push(listHref);
    }
    return result;
  }, null);

  return (
    <Dialog onOpenChange={() => setTyped("")}>
      <DialogTrigger asChild>
        <Button variant="destructive" size="sm">
          <Trash2Icon />
          {t("open")}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form action={run} className="grid gap-4">
          <DialogHeader>
            <DialogTitle>{t("title", { name: contact.name })}</DialogTitle>
            <DialogDescription>{t("body")}</DialogDescription>
          </DialogHeader>
          <FormAlert state={state} />
          <input type="hidden" name="workspaceId" value={workspaceId} />
          <input type="hidden" name="id" value={contact.id} />
          <div className="grid gap-2">
            <Label htmlFor="erase-confirmation">
              {contact.email ? t.rich("typeEmail", { email: contact.email, code }) : t.rich("typeErase", { code })}
            </Label>
            <Input
              id="erase-confirmation"
              name="confirmation"
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              autoComplete="off"
              autoFocus
            />
          </div>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                {tCommon("cancel")}
              </Button>
            </DialogClose>
            <EraseButton confirmed={confirmed} label={t("confirm")} pendingLabel={t("erasing")} />
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function code(chunks: React.ReactNode) {
  return <code className="bg-muted rounded px-1 font-mono text-xs">{chunks}</code>;
}

function EraseButton({ confirmed, label, pendingLabel }: { confirmed: boolean; label: string; pendingLabel: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant="destructive" disabled={!confirmed || pending} aria-busy={pending}>
      {pending ? <Loader2Icon className="animate-spin" /> : null}
      {pending ? pendingLabel : label}
    </Button>
  );
}

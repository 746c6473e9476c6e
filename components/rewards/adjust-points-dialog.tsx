"use client";

import { startTransition, useActionState, useState } from "react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { Loader2Icon, DiffIcon } from "lucide-react";
import { toast } from "sonner";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { ContactPicker, type FindContacts, type PickedContact } from "./contact-picker";
import { useRewardsErrorText } from "./error-text";

type Adjust = (previous: ActionState<{ balance: number }>, formData: FormData) => Promise<ActionState<{ balance: number }>>;

/**
 * Adds or takes away points by hand, with the reason the ledger keeps. On the profile the
 * contact is given; on the ledger it is found by email.
 */
export function AdjustPointsDialog({
  workspaceId,
  contact,
  balance,
  pointsName,
  adjust,
  find,
  variant = "outline",
}: {
  workspaceId: string;
  contact?: PickedContact;
  balance?: number;
  pointsName: string | null;
  adjust: Adjust;
  find?: FindContacts;
  variant?: "outline" | "default";
}) {
  const t = useTranslations("rewards.adjust");
  const format = useFormatter();
  const router = useRouter();
  const errorText = useRewardsErrorText();
  const [open, setOpen] = useState(false);
  const [key, setKey] = useState("");
  const [picked, setPicked] = useState<PickedContact | null>(contact ?? null);
  const [direction, setDirection] = useState<"add" | "remove">("add");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [state, run, pending] = useActionState<ActionState<{ balance: number }>, FormData>(async (previous, formData) => {
    const result = await adjust(previous, formData);
    if (result?.ok) {
      toast.success(t("done", { balance: format.number(result.data?.balance ?? 0) }));
      setOpen(false);
      router.refresh();
    }
    return result;
  }, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const unit = pointsName ?? t("points");
  const signed = amount.trim() === "" ? "" : direction === "remove" ? `-${amount.trim()}` : amount.trim();

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          // A new key each time it opens: one change per dialog, however often it is submitted.
          setKey(crypto.randomUUID());
          setPicked(contact ?? null);
          setDirection("add");
          setAmount("");
          setReason("");
        }
      }}
    >
      <DialogTrigger asChild>
        <Button variant={variant} size="sm">
          <DiffIcon />
          {t("open")}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const formData = new FormData(event.currentTarget);
            startTransition(() => run(formData));
          }}
          className="grid gap-4"
          data-testid="adjust-points"
          noValidate
        >
          <input type="hidden" name="workspaceId" value={workspaceId} />
          <input type="hidden" name="key" value={key} />
          <input type="hidden" name="contactId" value={picked?.id ?? ""} />
          <input type="hidden" name="amount" value={signed} />
          <DialogHeader>
            <DialogTitle>{t("title")}</DialogTitle>
            <DialogDescription>{contact && balance !== undefined ? t("descriptionWithBalance", { balance: format.number(balance), unit }) : t("description")}</DialogDescription>
          </DialogHeader>
          <FormAlert state={state && !state.ok && !state.fieldErrors ? state : null} />
          {!contact && find ? <ContactPicker workspaceId={workspaceId} find={find} value={picked} onChange={setPicked} label={t("contact")} error={errorText(errors.contactId)} /> : null}
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">{t("direction")}</legend>
            <div className="flex flex-wrap gap-4 text-sm">
              {(["add", "remove"] as const).map((value) => (
                <label key={value} className="flex items-center gap-2">
                  <input type="radio" name="direction" checked={direction === value} onChange={() => setDirection(value)} className="accent-primary" />
                  {t(value)}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="grid gap-2">
            <Label htmlFor="adjust-amount">{t("amount", { unit })}</Label>
            <Input
              id="adjust-amount"
              type="number"
              inputMode="numeric"
              min={1}
              step={1}
              className="w-40"
              value={amount}
              onChange={(event) => setAmount(event.target.value.replace(/^-/, ""))}
              aria-invalid={errors.amount ? true : undefined}
              aria-describedby={errors.amount ? "adjust-amount-error" : undefined}
              autoFocus={Boolean(contact)}
            />
            <FieldError id="adjust-amount-error" message={errorText(errors.amount)} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="adjust-reason">{t("reason")}</Label>
            <Input
              id="adjust-reason"
              name="reason"
              value={reason}
              maxLength={200}
              placeholder={t("reasonPlaceholder")}
              onChange={(event) => setReason(event.target.value)}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby="adjust-reason-hint"
            />
            <p id="adjust-reason-hint" className="text-muted-foreground text-xs">
              {t("reasonHint")}
            </p>
            <FieldError message={errorText(errors.reason)} />
          </div>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                {t("cancel")}
              </Button>
            </DialogClose>
            <Button type="submit" disabled={pending} aria-busy={pending}>
              {pending ? <Loader2Icon className="animate-spin" /> : null}
              {direction === "add" ? t("submitAdd") : t("submitRemove")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

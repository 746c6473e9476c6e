"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { Loader2Icon, PencilIcon, PlusIcon, StarIcon, Trash2Icon, UserRoundIcon } from "lucide-react";
import { toast } from "sonner";
import { ActionButton } from "@/components/form/action-button";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ActionState } from "@/lib/auth/action";
import { useSettingsForm, type SettingsAction } from "./use-settings-form";

export interface SenderRow {
  id: string;
  name: string;
  email: string;
  replyTo: string | null;
  isDefault: boolean;
}

export function SendersCard({
  workspaceId,
  senders,
  saveAction,
  makeDefaultAction,
  deleteAction,
}: {
  workspaceId: string;
  senders: SenderRow[];
  saveAction: SettingsAction;
  makeDefaultAction: SettingsAction;
  deleteAction: SettingsAction;
}) {
  const t = useTranslations("messaging.senders");
  return (
    <div className="grid gap-4">
      {senders.length === 0 ? (
        <div className="text-muted-foreground flex items-start gap-2 text-sm" data-testid="senders-empty">
          <UserRoundIcon className="mt-0.5 size-4 shrink-0" />
          <p>{t("empty")}</p>
        </div>
      ) : (
        <div className="rounded-md border">
          <Table data-testid="senders-table">
            <TableHeader>
              <TableRow>
                <TableHead className="pl-4">{t("name")}</TableHead>
                <TableHead>{t("email")}</TableHead>
                <TableHead>{t("replyTo")}</TableHead>
                <TableHead className="pr-4 text-right">
                  <span className="sr-only">{t("actions")}</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {senders.map((sender) => (
                <TableRow key={sender.id} data-testid="sender-row">
                  <TableCell className="pl-4 font-medium">
                    <span className="flex items-center gap-2">
                      {sender.name}
                      {sender.isDefault ? <Badge variant="secondary">{t("default")}</Badge> : null}
                    </span>
                  </TableCell>
                  <TableCell>{sender.email}</TableCell>
                  <TableCell>{sender.replyTo ?? <span className="text-muted-foreground">—</span>}</TableCell>
                  <TableCell className="pr-4">
                    <div className="flex justify-end gap-1">
                      <SenderDialog workspaceId={workspaceId} sender={sender} action={saveAction} />
                      {!sender.isDefault ? (
                        <ActionButton
                          action={makeDefaultAction}
                          fields={{ workspaceId, id: sender.id }}
                          successMessage={t("madeDefault", { name: sender.name })}
                          variant="ghost"
                          size="sm"
                        >
                          <StarIcon />
                          {t("makeDefault")}
                        </ActionButton>
                      ) : null}
                      <ActionButton
                        action={deleteAction}
                        fields={{ workspaceId, id: sender.id }}
                        successMessage={t("deleted", { name: sender.name })}
                        confirm={t("confirmDelete", { email: sender.email })}
                        variant="ghost"
                        size="sm"
                        aria-label={t("delete", { email: sender.email })}
                      >
                        <Trash2Icon />
                      </ActionButton>
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <div>
        <SenderDialog workspaceId={workspaceId} action={saveAction} first={senders.length === 0} />
      </div>
    </div>
  );
}

function SenderDialog({
  workspaceId,
  sender,
  action,
  first,
}: {
  workspaceId: string;
  sender?: SenderRow;
  action: SettingsAction;
  first?: boolean;
}) {
  const t = useTranslations("messaging.senders");
  const [open, setOpen] = useState(false);
  const closeOnSuccess: SettingsAction = async (previous: ActionState, formData: FormData) => {
    const state = await action(previous, formData);
    if (state?.ok) {
      setOpen(false);
      toast.success(sender ? t("updated") : t("created"));
    }
    return state;
  };
  const { state, onSubmit, pending, error } = useSettingsForm(closeOnSuccess);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        {sender ? (
          <Button variant="ghost" size="sm" aria-label={t("edit", { email: sender.email })}>
            <PencilIcon />
          </Button>
        ) : (
          <Button variant="outline" size="sm">
            <PlusIcon />
            {t("add")}
          </Button>
        )}
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{sender ? t("editTitle") : t("addTitle")}</DialogTitle>
          <DialogDescription>{t("dialogHint")}</DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} className="grid gap-4" noValidate>
          <input type="hidden" name="workspaceId" value={workspaceId} />
          {sender ? <input type="hidden" name="id" value={sender.id} /> : null}
          <FormAlert state={state} />
          <Field name="name" label={t("name")} placeholder="Acme Team" defaultValue={sender?.name} error={error("name")} required />
          <Field name="email" label={t("email")} type="email" placeholder="hello@example.com" defaultValue={sender?.email} error={error("email")} required />
          <Field name="replyTo" label={t("replyToOptional")} type="email" placeholder="support@example.com" defaultValue={sender?.replyTo ?? undefined} error={error("replyTo")} />
          {!sender?.isDefault ? (
            <div className="flex items-center gap-2">
              <Checkbox id="field-isDefault" name="isDefault" defaultChecked={first} />
              <Label htmlFor="field-isDefault">{t("isDefault")}</Label>
            </div>
          ) : null}
          <DialogFooter>
            <Button type="submit" disabled={pending} aria-busy={pending}>
              {pending ? <Loader2Icon className="animate-spin" /> : null}
              {sender ? t("saveChanges") : t("addSubmit")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

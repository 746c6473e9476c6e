"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { PencilIcon, PlusIcon, Trash2Icon } from "lucide-react";
import { toast } from "sonner";
import type { AttributeType, Json, JsonObject } from "@/db/schema";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Sheet, SheetContent, SheetDescription, SheetFooter, SheetHeader, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { Field, FieldError } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { SubmitButton } from "@/components/form/submit-button";
import type { ActionState } from "@/lib/auth/action";
import { useValidationMessage } from "./validation-message";

const types = ["string", "number", "boolean", "date", "list", "json"] as const;
type EditableType = (typeof types)[number];
type Row = { uid: number; key: string; type: EditableType; value: string };
type Edit = (previous: ActionState, formData: FormData) => Promise<ActionState>;

export interface EditableContact {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  attributes: JsonObject;
}

// The form edits every value as text; its type says how the server reads the text back.
function rowOf(uid: number, key: string, value: Json, declared: AttributeType | undefined): Row {
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return { uid, key, type: "list", value: value.join(", ") };
  if (value !== null && typeof value === "object") return { uid, key, type: "json", value: JSON.stringify(value) };
  if (typeof value === "number") return { uid, key, type: "number", value: String(value) };
  if (typeof value === "boolean") return { uid, key, type: "boolean", value: String(value) };
  if (value === null) return { uid, key, type: "json", value: "null" };
  return { uid, key, type: declared === "date" ? "date" : "string", value };
}

export function EditContactSheet({
  workspaceId,
  contact,
  attributeTypes,
  action,
}: {
  workspaceId: string;
  contact: EditableContact;
  attributeTypes: Record<string, AttributeType>;
  action: Edit;
}) {
  const t = useTranslations("contacts.edit");
  const [open, setOpen] = useState(false);
  // A fresh form with the saved values each time the sheet opens.
  const [session, setSession] = useState(0);
  return (
    <Sheet
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setSession((n) => n + 1);
      }}
    >
      <SheetTrigger asChild>
        <Button variant="outline" size="sm">
          <PencilIcon />
          {t("open")}
        </Button>
      </SheetTrigger>
      <SheetContent className="w-full overflow-y-auto sm:max-w-xl">
        <EditForm
          key={session}
          workspaceId={workspaceId}
          contact={contact}
          attributeTypes={attributeTypes}
          action={action}
          onSaved={() => setOpen(false)}
        />
      </SheetContent>
    </Sheet>
  );
}

function EditForm({
  workspaceId,
  contact,
  attributeTypes,
  action,
  onSaved,
}: {
  workspaceId: string;
  contact: EditableContact;
  attributeTypes: Record<string, AttributeType>;
  action: Edit;
  onSaved: () => void;
}) {
  const t = useTranslations("contacts.edit");
  const tCommon = useTranslations("common");
  const message = useValidationMessage();
  const [state, run] = useActionState(action, null);
  const [fields, setFields] = useState({
    firstName: contact.firstName ?? "",
    lastName: contact.lastName ?? "",
    email: contact.email ?? "",
    phone: contact.phone ?? "",
  });
  const [rows, setRows] = useState<Row[]>(() =>
    Object.entries(contact.attributes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value], index) => rowOf(index, key, value, attributeTypes[key])),
  );
  const nextUid = useRef(rows.length);
  const shown = useRef<ActionState>(null);
  useEffect(() => {
    if (!state || shown.current === state) return;
    shown.current = state;
    if (state.ok) {
      toast.success(t("saved"));
      onSaved();
    }
  }, [state, t, onSaved]);

  const errors = state && !state.ok ? state.fieldErrors ?? {} : {};
  const error = (name: string) => (errors[name] ? message(errors[name]) : undefined);
  const update = (uid: number, change: Partial<Row>) => setRows((all) => all.map((row) => (row.uid === uid ? { ...row, ...change } : row)));
  const text = (name: keyof typeof fields) => ({
    value: fields[name],
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => setFields((all) => ({ ...all, [name]: event.target.value })),
  });

  return (
    <form action={run} className="flex min-h-full flex-col" noValidate>
      <SheetHeader>
        <SheetTitle>{t("title")}</SheetTitle>
        <SheetDescription>{t("description")}</SheetDescription>
      </SheetHeader>
      <div className="grid gap-4 px-4">
        <FormAlert state={state} />
        <input type="hidden" name="workspaceId" value={workspaceId} />
        <input type="hidden" name="id" value={contact.id} />
        <input type="hidden" name="attributes" value={JSON.stringify(rows.map(({ key, type, value }) => ({ key, type, value })))} />
        <input type="hidden" name="unset" value={JSON.stringify(Object.keys(contact.attributes))} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field className="content-start" name="firstName" label={t("firstName")} error={error("firstName")} autoComplete="off" {...text("firstName")} />
          <Field className="content-start" name="lastName" label={t("lastName")} error={error("lastName")} autoComplete="off" {...text("lastName")} />
          <Field className="content-start" name="email" type="email" label={t("email")} error={error("email")} autoComplete="off" {...text("email")} />
          <Field className="content-start" name="phone" type="tel" label={t("phone")} error={error("phone")} autoComplete="off" {...text("phone")} />
        </div>
        <fieldset className="grid gap-3">
          <legend className="mb-1 text-sm font-medium">{t("attributes")}</legend>
          {rows.length === 0 ? <p className="text-muted-foreground text-sm">{t("noAttributes")}</p> : null}
          {rows.map((row, index) => {
            const keyError = error(`attributes.${index}.key`);
            const valueError = error(`attributes.${index}.value`);
            const name = row.key || String(index + 1);
            return (
              <div key={row.uid} className="grid gap-1.5" data-testid="attribute-row">
                <div className="grid grid-cols-[1fr_7rem_1.4fr_auto] items-start gap-2">
                  <Input
                    aria-label={t("keyOf", { index: index + 1 })}
                    value={row.key}
                    onChange={(event) => update(row.uid, { key: event.target.value })}
                    placeholder={t("keyPlaceholder")}
                    className="font-mono text-xs"
                    aria-invalid={keyError ? true : undefined}
                    autoComplete="off"
                  />
                  <Select value={row.type} onValueChange={(type) => update(row.uid, { type: type as EditableType, ...(type === "boolean" ? { value: row.value === "false" ? "false" : "true" } : {}) })}>
                    <SelectTrigger aria-label={t("typeOf", { key: name })} className="w-full">
                      <SelectValue />
                    </SelectTrigger>
                    <SelectContent>
                      {types.map((type) => (
                        <SelectItem key={type} value={type}>
                          {t(`types.${type}`)}
                        </SelectItem>
                      ))}
                    </SelectContent>
                  </Select>
                  {row.type === "boolean" ? (
                    <Select value={row.value} onValueChange={(value) => update(row.uid, { value })}>
                      <SelectTrigger aria-label={t("valueOf", { key: name })} className="w-full">
                        <SelectValue />
                      </SelectTrigger>
                      <SelectContent>
                        <SelectItem value="true">{t("true")}</SelectItem>
                        <SelectItem value="false">{t("false")}</SelectItem>
                      </SelectContent>
                    </Select>
                  ) : (
                    <Input
                      aria-label={t("valueOf", { key: name })}
                      value={row.value}
                      onChange={(event) => update(row.uid, { value: event.target.value })}
                      placeholder={t(`valuePlaceholder.${row.type}`)}
                      aria-invalid={valueError ? true : undefined}
                      autoComplete="off"
                    />
                  )}
                  <Button
                    type="button"
                    variant="ghost"
                    size="icon"
                    aria-label={t("removeAttribute", { key: name })}
                    onClick={() => setRows((all) => all.filter((other) => other.uid !== row.uid))}
                  >
                    <Trash2Icon />
                  </Button>
                </div>
                <FieldError message={keyError} />
                <FieldError message={valueError} />
              </div>
            );
          })}
          <div>
            <Button
              type="button"
              variant="outline"
              size="sm"
              onClick={() => {
                const uid = nextUid.current++;
                setRows((all) => [...all, { uid, key: "", type: "string", value: "" }]);
              }}
            >
              <PlusIcon />
              {t("addAttribute")}
            </Button>
          </div>
        </fieldset>
      </div>
      <SheetFooter className="flex-row justify-end">
        <SubmitButton pendingLabel={tCommon("saving")}>{tCommon("save")}</SubmitButton>
      </SheetFooter>
    </form>
  );
}

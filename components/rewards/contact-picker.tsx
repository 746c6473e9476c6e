"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { Loader2Icon, SearchIcon, XIcon } from "lucide-react";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/form/field";

export type PickedContact = { id: string; email: string | null; name: string | null; externalId: string | null };
export type FindContacts = (previous: ActionState<{ contacts: PickedContact[] }>, formData: FormData) => Promise<ActionState<{ contacts: PickedContact[] }>>;

export function contactText(contact: PickedContact): string {
  return contact.email ?? contact.name ?? contact.externalId ?? contact.id;
}

/** Finds a contact by the start of its email (or name, or its exact external id) and picks one of the matches. */
export function ContactPicker({
  workspaceId,
  find,
  value,
  onChange,
  label,
  error,
}: {
  workspaceId: string;
  find: FindContacts;
  value: PickedContact | null;
  onChange: (contact: PickedContact | null) => void;
  label: string;
  error?: string;
}) {
  const t = useTranslations("rewards.picker");
  const id = useId();
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<{ query: string; contacts: PickedContact[] } | null>(null);
  const [searching, setSearching] = useState(false);
  const latest = useRef(0);
  const wanted = query.trim();

  useEffect(() => {
    if (!wanted) return;
    const request = ++latest.current;
    const timer = setTimeout(async () => {
      setSearching(true);
      const form = new FormData();
      form.set("workspaceId", workspaceId);
      form.set("q", wanted);
      const state = await find(null, form).catch(() => null);
      if (request === latest.current) {
        setFound({ query: wanted, contacts: state?.ok && state.data ? state.data.contacts : [] });
        setSearching(false);
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [wanted, workspaceId, find]);

  if (value) {
    return (
      <div className="grid gap-2">
        <span className="text-sm font-medium">{label}</span>
        <div className="flex flex-wrap items-center gap-2 rounded-md border px-3 py-2 text-sm" data-testid="picked-contact">
          <span className="min-w-0 flex-1 truncate font-medium">{contactText(value)}</span>
          {value.name && value.email ? <span className="text-muted-foreground truncate">{value.name}</span> : null}
          <Button type="button" variant="ghost" size="sm" onClick={() => onChange(null)} aria-label={t("change")}>
            <XIcon />
            {t("change")}
          </Button>
        </div>
        <FieldError message={error} />
      </div>
    );
  }

  const shown = found && found.query === wanted ? found.contacts : [];
  return (
    <div className="grid gap-2">
      <Label htmlFor={`${id}-search`}>{label}</Label>
      <div className="relative">
        <SearchIcon className="text-muted-foreground pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2" aria-hidden />
        <Input
          id={`${id}-search`}
          type="search"
          className="pl-8"
          value={query}
          placeholder={t("placeholder")}
          autoComplete="off"
          onChange={(event) => setQuery(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-status`}
        />
        {searching ? <Loader2Icon className="text-muted-foreground absolute top-1/2 right-2.5 size-4 -translate-y-1/2 animate-spin" aria-hidden /> : null}
      </div>
      <div id={`${id}-status`} aria-live="polite" className="text-muted-foreground text-xs">
        {!wanted ? t("hint") : found && found.query === wanted && shown.length === 0 && !searching ? t("none", { query: wanted }) : null}
      </div>
      {shown.length > 0 ? (
        <ul className="grid gap-1" aria-label={t("results")} data-testid="contact-matches">
          {shown.map((contact) => (
            <li key={contact.id}>
              <button
                type="button"
                className="hover:bg-accent focus-visible:ring-ring/50 flex w-full items-center gap-2 rounded-md border px-3 py-1.5 text-left text-sm outline-none focus-visible:ring-[3px]"
                onClick={() => onChange(contact)}
              >
                <span className="min-w-0 flex-1 truncate">{contactText(contact)}</span>
                {contact.name && contact.email ? <span className="text-muted-foreground truncate text-xs">{contact.name}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <FieldError message={error} />
    </div>
  );
}

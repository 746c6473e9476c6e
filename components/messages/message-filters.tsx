"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { FilterIcon, XIcon } from "lucide-react";
import { channels, messageStatuses } from "@/db/schema";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

export interface MessageFilterValues {
  status?: string;
  channel?: string;
  template?: string;
  contact?: string;
  from?: string;
  to?: string;
}

// The filters live in the URL (a filtered log is a link to share); empty ones are left out.
export function MessageFilters({
  action,
  values,
  templates,
  contactLabel,
}: {
  action: string;
  values: MessageFilterValues;
  templates: Array<{ id: string; name: string; channel: string; archived: boolean }>;
  /** Shown instead of the contact id when the log is filtered to one contact. */
  contactLabel?: string;
}) {
  const t = useTranslations("messages");
  const router = useRouter();
  const filtered = Object.values(values).some(Boolean);
  return (
    <form
      key={JSON.stringify(values)}
      role="search"
      aria-label={t("filters.label")}
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        const url = new URLSearchParams();
        for (const [key, value] of new FormData(event.currentTarget).entries()) {
          if (typeof value === "string" && value.trim() && value !== "all") url.set(key, value.trim());
        }
        const query = url.toString();
        router.push(query ? `${action}?${query}` : action);
      }}
    >
      <FilterSelect
        name="status"
        label={t("filters.status")}
        value={values.status}
        all={t("filters.allStatuses")}
        options={messageStatuses.map((status) => ({ value: status, label: t(`statuses.${status}`) }))}
      />
      <FilterSelect
        name="channel"
        label={t("filters.channel")}
        value={values.channel}
        all={t("filters.allChannels")}
        options={channels.map((channel) => ({ value: channel, label: t(`channels.${channel}`) }))}
      />
      <FilterSelect
        name="template"
        label={t("filters.template")}
        value={values.template}
        all={t("filters.allTemplates")}
        options={templates.map((template) => ({
          value: template.id,
          label: `${template.name} · ${t(`channels.${template.channel}` as never)}${template.archived ? ` (${t("filters.archived")})` : ""}`,
        }))}
        className="w-48"
      />
      <div className="grid gap-1.5">
        <Label htmlFor="filter-contact" className="text-xs">
          {t("filters.contact")}
        </Label>
        <Input
          id="filter-contact"
          name="contact"
          type="search"
          className="w-48"
          defaultValue={contactLabel ? undefined : values.contact}
          placeholder={contactLabel ?? t("filters.contactPlaceholder")}
          autoComplete="off"
        />
        {contactLabel && values.contact ? <input type="hidden" name="contact" value={values.contact} /> : null}
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-from" className="text-xs">
          {t("filters.from")}
        </Label>
        <Input id="filter-from" name="from" type="date" className="w-36" defaultValue={values.from} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-to" className="text-xs">
          {t("filters.to")}
        </Label>
        <Input id="filter-to" name="to" type="date" className="w-36" defaultValue={values.to} />
      </div>
      <Button type="submit" variant="secondary">
        <FilterIcon />
        {t("filters.apply")}
      </Button>
      {filtered ? (
        <Button variant="ghost" asChild>
          <Link href={action}>
            <XIcon />
            {t("filters.clear")}
          </Link>
        </Button>
      ) : null}
    </form>
  );
}

function FilterSelect({
  name,
  label,
  value,
  all,
  options,
  className,
}: {
  name: string;
  label: string;
  value?: string;
  all: string;
  options: Array<{ value: string; label: string }>;
  className?: string;
}) {
  const id = `filter-${name}`;
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id} className="text-xs">
        {label}
      </Label>
      <Select name={name} defaultValue={value && options.some((option) => option.value === value) ? value : "all"}>
        <SelectTrigger id={id} className={className ?? "w-36"}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent className="max-h-72">
          <SelectItem value="all">{all}</SelectItem>
          {options.map((option) => (
            <SelectItem key={option.value} value={option.value}>
              {option.label}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}

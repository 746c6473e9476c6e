"use client";

import { useActionState, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Checkbox } from "@/components/ui/checkbox";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ActionState } from "@/lib/auth/action";
import type { ContactLabel } from "./contact-label";
import { BulkTagBar } from "./bulk-tag-bar";
import { useValidationMessage } from "./validation-message";

type TagResult = { changed: number; mode: "add" | "remove"; tag: string };
type BulkTag = (previous: ActionState<TagResult>, formData: FormData) => Promise<ActionState<TagResult>>;

interface Moment {
  text: string;
  title: string;
  iso: string;
}

export interface ContactRow {
  id: string;
  label: ContactLabel;
  email: string | null;
  externalId: string | null;
  tags: string[];
  lastSeen: Moment | null;
  created: Moment;
}

export function ContactsTable({
  rows,
  slug,
  workspaceId,
  canEdit,
  filterBase,
  bulkTagAction,
}: {
  rows: ContactRow[];
  slug: string;
  workspaceId: string;
  canEdit: boolean;
  filterBase: string;
  bulkTagAction: BulkTag;
}) {
  const t = useTranslations("contacts");
  const message = useValidationMessage();
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // Toast and clear the selection as the reply arrives, not in an effect after rendering it.
  const [, run] = useActionState<ActionState<TagResult>, FormData>(async (previous, formData) => {
    const state = await bulkTagAction(previous, formData);
    if (state?.ok && state.data) {
      const { changed, mode, tag } = state.data;
      toast.success(mode === "add" ? t("bulk.added", { count: changed, tag }) : t("bulk.removed", { count: changed, tag }));
      setSelected(new Set());
    } else if (state && !state.ok) {
      const fieldError = Object.values(state.fieldErrors ?? {})[0];
      toast.error(fieldError ? message(fieldError) : state.error);
    }
    return state;
  }, null);
  const profile = (id: string) => `/w/${slug}/contacts/${id}`;

  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));
  const someSelected = !allSelected && rows.some((row) => selected.has(row.id));
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <div className="grid">
      {canEdit ? (
        <BulkTagBar workspaceId={workspaceId} selected={[...selected]} action={run} onClear={() => setSelected(new Set())} />
      ) : null}
      <Table data-testid="contacts-table">
        <TableHeader>
          <TableRow>
            {canEdit ? (
              <TableHead className="w-10 pl-4">
                <Checkbox
                  aria-label={t("selectPage")}
                  // shadcn's checkbox draws a tick for "indeterminate" too; a bar says "some".
                  className="relative data-[state=indeterminate]:border-primary data-[state=indeterminate]:after:bg-primary data-[state=indeterminate]:after:absolute data-[state=indeterminate]:after:inset-x-[3px] data-[state=indeterminate]:after:top-1/2 data-[state=indeterminate]:after:h-0.5 data-[state=indeterminate]:after:-translate-y-1/2 data-[state=indeterminate]:after:rounded-full data-[state=indeterminate]:after:content-[''] data-[state=indeterminate]:[&_svg]:hidden"
                  checked={allSelected ? true : someSelected ? "indeterminate" : false}
                  onCheckedChange={(value) => setSelected(value === true ? new Set(rows.map((row) => row.id)) : new Set())}
                />
              </TableHead>
            ) : null}
            <TableHead className={canEdit ? undefined : "pl-4"}>{t("columns.name")}</TableHead>
            <TableHead>{t("columns.email")}</TableHead>
            <TableHead>{t("columns.externalId")}</TableHead>
            <TableHead>{t("columns.tags")}</TableHead>
            <TableHead>{t("columns.lastSeen")}</TableHead>
            <TableHead className="pr-4">{t("columns.created")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => {
            const label = row.label.kind === "anonymous" ? t("anonymous") : row.label.text;
            return (
              <TableRow
                key={row.id}
                data-state={selected.has(row.id) ? "selected" : undefined}
                className="cursor-pointer"
                onClick={(event) => {
                  // Clicks on the checkbox, a tag or the name link do their own thing.
                  if ((event.target as HTMLElement).closest("a,button,[role=checkbox]")) return;
                  router.push(profile(row.id));
                }}
              >
                {canEdit ? (
                  <TableCell className="pl-4">
                    <Checkbox
                      aria-label={t("selectRow", { name: label })}
                      checked={selected.has(row.id)}
                      onCheckedChange={(value) => toggle(row.id, value === true)}
                    />
                  </TableCell>
                ) : null}
                <TableCell className={canEdit ? "font-medium" : "pl-4 font-medium"}>
                  <Link href={profile(row.id)} className="hover:underline focus-visible:underline">
                    {row.label.kind === "anonymous" ? (
                      <span className="text-muted-foreground">
                        {label} <code className="font-mono text-xs">{row.label.shortId}</code>
                      </span>
                    ) : row.label.kind === "name" ? (
                      label
                    ) : (
                      // No name yet: the address stands in, quieter, so the row still has a link.
                      <span className="text-muted-foreground font-normal">{label}</span>
                    )}
                  </Link>
                </TableCell>
                <TableCell>{row.email ?? <span className="text-muted-foreground">—</span>}</TableCell>
                <TableCell>
                  {row.externalId ? (
                    <code className="font-mono text-xs">{row.externalId}</code>
                  ) : (
                    <span className="text-muted-foreground">—</span>
                  )}
                </TableCell>
                <TableCell>
                  <div className="flex max-w-64 flex-wrap gap-1">
                    {row.tags.map((tag) => (
                      <Badge key={tag} variant="secondary" asChild>
                        <Link href={`${filterBase}?tag=${encodeURIComponent(tag)}`} title={t("filterByTag", { tag })}>
                          {tag}
                        </Link>
                      </Badge>
                    ))}
                  </div>
                </TableCell>
                <TableCell>
                  {row.lastSeen ? (
                    <time dateTime={row.lastSeen.iso} title={row.lastSeen.title}>
                      {row.lastSeen.text}
                    </time>
                  ) : (
                    <span className="text-muted-foreground">{t("never")}</span>
                  )}
                </TableCell>
                <TableCell className="pr-4">
                  <time dateTime={row.created.iso} title={row.created.title}>
                    {row.created.text}
                  </time>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}

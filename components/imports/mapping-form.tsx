"use client";

import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { CircleAlertIcon } from "lucide-react";
import type { AttributeType } from "@/db/schema";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectGroup, SelectItem, SelectLabel, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { attributeKeyOf, type GuessedColumn } from "@/lib/imports/guess";
import { importFields, type ColumnMapping, type ImportField, type MatchKey } from "@/lib/imports/mapping";
import { ImportPreview } from "./import-preview";

const attributeTypeList: AttributeType[] = ["string", "number", "boolean", "date", "list"];

interface Choice {
  /** "ignore", "field:<field>", "tags" or "attribute". */
  target: string;
  key: string;
  type: AttributeType;
}

function initialChoice(column: GuessedColumn): Choice {
  const mapping = column.mapping;
  if (!mapping) return { target: "ignore", key: "", type: "string" };
  if (mapping.target === "field") return { target: `field:${mapping.field}`, key: "", type: "string" };
  if (mapping.target === "tags") return { target: "tags", key: "", type: "string" };
  return { target: "attribute", key: mapping.key, type: mapping.type };
}

export interface MappingFormProps {
  workspaceId: string;
  slug: string;
  importId: string;
  fileName: string;
  columns: GuessedColumn[];
  rows: Array<{ row: number; cells: string[] }>;
  catalogue: Record<string, { type: AttributeType; declared: boolean }>;
}

// Step 2: what each column becomes, how rows find existing contacts, and whether those are updated.
export function MappingForm({ workspaceId, slug, importId, fileName, columns, rows, catalogue }: MappingFormProps) {
  const t = useTranslations("imports.mapping");
  const router = useRouter();
  const [choices, setChoices] = useState<Choice[]>(() => columns.map(initialChoice));
  const guessedKey: MatchKey = choices.some((choice) => choice.target === "field:email") || !choices.some((choice) => choice.target === "field:external_id") ? "email" : "external_id";
  const [matchKey, setMatchKey] = useState<MatchKey>(guessedKey);
  const [onExisting, setOnExisting] = useState<"update" | "skip">("update");
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [tried, setTried] = useState(false);

  const update = (index: number, change: Partial<Choice>) =>
    setChoices((current) => current.map((choice, at) => (at === index ? { ...choice, ...change } : choice)));

  // The same rules the server checks, said next to the control that breaks them.
  const problems = useMemo(() => {
    const byColumn = new Map<number, string>();
    const seenFields = new Map<string, number>();
    const seenKeys = new Map<string, number>();
    choices.forEach((choice, index) => {
      if (choice.target.startsWith("field:")) {
        const field = choice.target.slice(6) as ImportField;
        if (seenFields.has(field)) byColumn.set(index, t("problems.duplicate_field", { field: t(`fields.${field}`) }));
        seenFields.set(field, index);
      }
      if (choice.target === "attribute") {
        const key = choice.key.trim();
        if (!key) byColumn.set(index, t("problems.attribute_key", { header: columns[index].header || `#${index + 1}` }));
        else if (seenKeys.has(key)) byColumn.set(index, t("problems.duplicate_attribute", { key }));
        seenKeys.set(key, index);
      }
    });
    const matchProblem = seenFields.has(matchKey) ? undefined : t("problems.match_key_unmapped", { field: t(`fields.${matchKey}`) });
    return { byColumn, matchProblem };
  }, [choices, columns, matchKey, t]);

  async function start() {
    setTried(true);
    setFailure(undefined);
    if (problems.byColumn.size > 0 || problems.matchProblem) return;
    const mapped: ColumnMapping[] = [];
    choices.forEach((choice, index) => {
      if (choice.target.startsWith("field:")) mapped.push({ index, target: "field", field: choice.target.slice(6) as ImportField });
      else if (choice.target === "tags") mapped.push({ index, target: "tags" });
      else if (choice.target === "attribute") {
        const key = choice.key.trim();
        mapped.push({ index, target: "attribute", key, type: catalogue[key]?.type ?? choice.type });
      }
    });
    setSubmitting(true);
    try {
      const response = await fetch(`/api/ui/imports/${importId}/start?workspace=${workspaceId}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ columns: mapped, matchKey, onExisting }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
        throw new Error(body.error?.message ?? response.statusText);
      }
      router.replace(`/w/${slug}/contacts/import/${importId}`);
      router.refresh();
    } catch (error) {
      setFailure(t("failed", { message: error instanceof Error ? error.message : String(error) }));
      setSubmitting(false);
    }
  }

  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>{t("title")}</CardTitle>
          <CardDescription>{t("description", { file: fileName, count: columns.length })}</CardDescription>
        </CardHeader>
        <CardContent className="px-0">
          <Table data-testid="import-mapping">
            <TableHeader>
              <TableRow>
                <TableHead className="pl-6">{t("column")}</TableHead>
                <TableHead>{t("samples")}</TableHead>
                <TableHead className="pr-6">{t("importAs")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {columns.map((column, index) => {
                const choice = choices[index];
                const header = column.header || `#${index + 1}`;
                const existing = choice.target === "attribute" ? catalogue[choice.key.trim()] : undefined;
                const problem = tried || choice.target !== "attribute" ? problems.byColumn.get(index) : undefined;
                return (
                  <TableRow key={index} className="align-top">
                    <TableCell className="pl-6 font-medium whitespace-normal">{header}</TableCell>
                    <TableCell className="text-muted-foreground max-w-56 truncate text-xs">{column.samples.join(" · ")}</TableCell>
                    <TableCell className="pr-6">
                      <div className="flex flex-wrap items-start gap-2">
                        <Select value={choice.target} onValueChange={(target) => update(index, { target, key: choice.key || attributeKeyOf(column.header) })}>
                          <SelectTrigger className="w-52" aria-label={t("importAsLabel", { header })} aria-invalid={problem ? true : undefined}>
                            <SelectValue />
                          </SelectTrigger>
                          <SelectContent>
                            <SelectItem value="ignore">{t("ignore")}</SelectItem>
                            <SelectGroup>
                              <SelectLabel>{t("fieldsGroup")}</SelectLabel>
                              {importFields.map((field) => (
                                <SelectItem key={field} value={`field:${field}`}>
                                  {t(`fields.${field}`)}
                                </SelectItem>
                              ))}
                            </SelectGroup>
                            <SelectGroup>
                              <SelectLabel>{t("otherGroup")}</SelectLabel>
                              <SelectItem value="tags">{t("tags")}</SelectItem>
                              <SelectItem value="attribute">{t("attribute")}</SelectItem>
                            </SelectGroup>
                          </SelectContent>
                        </Select>
                        {choice.target === "attribute" ? (
                          <>
                            <Input
                              className="w-40"
                              value={choice.key}
                              onChange={(event) => update(index, { key: event.target.value })}
                              aria-label={t("attributeKey", { header })}
                              aria-invalid={problem ? true : undefined}
                            />
                            {existing ? (
                              <span className="text-muted-foreground self-center text-xs">
                                {t("existingAttribute", { type: t(`types.${existing.type}`) })}
                                {existing.declared ? ` · ${t("declared")}` : ""}
                              </span>
                            ) : (
                              <Select value={choice.type} onValueChange={(type) => update(index, { type: type as AttributeType })}>
                                <SelectTrigger className="w-32" aria-label={t("attributeType", { header })}>
                                  <SelectValue />
                                </SelectTrigger>
                                <SelectContent>
                                  {attributeTypeList.map((type) => (
                                    <SelectItem key={type} value={type}>
                                      {t(`types.${type}`)}
                                    </SelectItem>
                                  ))}
                                </SelectContent>
                              </Select>
                            )}
                          </>
                        ) : null}
                      </div>
                      {problem ? (
                        <p role="alert" className="text-destructive mt-1 text-sm">
                          {problem}
                        </p>
                      ) : null}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </CardContent>
        <CardFooter className="flex flex-col items-stretch gap-4 border-t">
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="grid gap-2">
              <Label htmlFor="import-match-key">{t("matchKey")}</Label>
              <Select value={matchKey} onValueChange={(value) => setMatchKey(value as MatchKey)}>
                <SelectTrigger id="import-match-key" className="w-full" aria-invalid={problems.matchProblem ? true : undefined}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="email">{t("fields.email")}</SelectItem>
                  <SelectItem value="external_id">{t("fields.external_id")}</SelectItem>
                </SelectContent>
              </Select>
              {problems.matchProblem ? (
                <p role="alert" className="text-destructive text-sm">
                  {problems.matchProblem}
                </p>
              ) : (
                <p className="text-muted-foreground text-xs">{t("matchKeyHint")}</p>
              )}
            </div>
            <div className="grid content-start gap-2">
              <Label htmlFor="import-on-existing">{t("onExisting")}</Label>
              <Select value={onExisting} onValueChange={(value) => setOnExisting(value as "update" | "skip")}>
                <SelectTrigger id="import-on-existing" className="w-full">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="update">{t("update")}</SelectItem>
                  <SelectItem value="skip">{t("skip")}</SelectItem>
                </SelectContent>
              </Select>
            </div>
          </div>
          {failure ? (
            <Alert variant="destructive" role="alert">
              <CircleAlertIcon />
              <AlertDescription>{failure}</AlertDescription>
            </Alert>
          ) : null}
          <div>
            <Button type="button" onClick={start} disabled={submitting}>
              {submitting ? t("starting") : t("start")}
            </Button>
          </div>
        </CardFooter>
      </Card>
      <ImportPreview columns={columns.map((column) => column.header)} rows={rows} />
    </div>
  );
}

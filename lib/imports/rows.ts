import type { AttributeType, JsonObject } from "@/db/schema";
import { normalizeEmail } from "@/lib/contacts/identity";
import { isTimeZone } from "@/lib/contacts/traits";
import type { CatalogueEntry, ImportField, ImportSettings, MatchKey } from "./mapping";
import { canonicalLocale, convertValue, isEmail, isTimeZoneCached, splitList } from "./values";

/** A row ready to write: contact fields (null = not given), attributes and tags to add. */
export interface ImportRow {
  row: number;
  key: string;
  fields: Record<ImportField, string | null>;
  attributes: JsonObject;
  tags: string[];
}

export interface BadRow {
  row: number;
  reason: string;
  details: JsonObject;
  raw: string[];
}

interface AttributeColumn {
  index: number;
  header: string;
  key: string;
  type: AttributeType;
  /** A value that does not fit is a bad row (declared, or typed in this import's mapping); otherwise it is kept as text. */
  strict: boolean;
}

export interface ImportPlan {
  matchKey: MatchKey;
  onExisting: "update" | "skip";
  fields: Array<{ index: number; header: string; field: ImportField }>;
  tags: Array<{ index: number; header: string }>;
  attributes: AttributeColumn[];
}

const maxLength: Record<ImportField, number> = {
  email: 254,
  external_id: 255,
  phone: 64,
  first_name: 200,
  last_name: 200,
  timezone: 64,
  locale: 35,
  lifecycle_stage: 64,
};

// An attribute already in the catalogue keeps its type; a new one gets the type chosen in the mapping.
export function buildPlan(settings: ImportSettings, columns: string[], catalogue: Map<string, CatalogueEntry>): ImportPlan {
  const header = (index: number) => columns[index] || `#${index + 1}`;
  const plan: ImportPlan = { matchKey: settings.matchKey, onExisting: settings.onExisting, fields: [], tags: [], attributes: [] };
  for (const column of settings.columns) {
    if (column.target === "field") plan.fields.push({ index: column.index, header: header(column.index), field: column.field });
    else if (column.target === "tags") plan.tags.push({ index: column.index, header: header(column.index) });
    else {
      const known = catalogue.get(column.key);
      plan.attributes.push({
        index: column.index,
        header: header(column.index),
        key: column.key,
        type: known?.type ?? column.type,
        strict: known ? known.declared : true,
      });
    }
  }
  return plan;
}

/** A record with nothing in it (a blank line, or a row of empty cells Excel leaves at the end). */
export function isBlank(cells: string[]): boolean {
  return cells.every((cell) => cell.trim() === "");
}

const emptyFields = (): Record<ImportField, string | null> => ({
  email: null,
  external_id: null,
  phone: null,
  first_name: null,
  last_name: null,
  timezone: null,
  locale: null,
  lifecycle_stage: null,
});

// Turns one record into a row to write, or says why it cannot be imported. Empty cells mean
// "no value here" and never clear what a contact already has.
export function convertRecord(plan: ImportPlan, cells: string[], row: number): ImportRow | BadRow {
  const bad = (reason: string, details: JsonObject): BadRow => ({ row, reason, details, raw: cells });
  const fields = emptyFields();
  for (const { index, header, field } of plan.fields) {
    let value = (cells[index] ?? "").trim();
    if (!value) continue;
    if (value.length > maxLength[field]) return bad("too_long", { column: header, max: maxLength[field] });
    if (field === "email") {
      value = normalizeEmail(value);
      if (!isEmail(value)) return bad("invalid_email", { column: header, value });
    } else if (field === "timezone") {
      if (!isTimeZoneCached(value, isTimeZone)) return bad("invalid_timezone", { column: header, value });
    } else if (field === "locale") {
      const canonical = canonicalLocale(value);
      if (!canonical) return bad("invalid_locale", { column: header, value });
      value = canonical;
    }
    fields[field] = value;
  }
  const key = fields[plan.matchKey];
  if (!key) {
    const column = plan.fields.find((mapped) => mapped.field === plan.matchKey)?.header ?? plan.matchKey;
    return bad("missing_match_key", { column, field: plan.matchKey });
  }

  const attributes: JsonObject = {};
  for (const { index, header, key: attribute, type, strict } of plan.attributes) {
    const value = (cells[index] ?? "").trim();
    if (!value) continue;
    const converted = convertValue(value, type);
    if (converted.ok) attributes[attribute] = converted.value;
    else if (strict) return bad("wrong_type", { column: header, key: attribute, type, value });
    else attributes[attribute] = value;
  }

  const tags = new Set<string>();
  for (const { index, header } of plan.tags) {
    for (const tag of splitList(cells[index] ?? "")) {
      if (tag.length > 64) return bad("tag_too_long", { column: header, value: tag });
      tags.add(tag);
    }
  }
  if (tags.size > 200) return bad("too_many_tags", { max: 200 });
  return { row, key, fields, attributes, tags: [...tags].sort() };
}

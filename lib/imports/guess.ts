import type { AttributeType } from "@/db/schema";
import type { CatalogueEntry, ColumnMapping, ImportField } from "./mapping";
import { guessType } from "./values";

// Header spellings seen in exports from CRMs, shops and spreadsheets, English and Chinese,
// compared without case, spaces, dashes or underscores.
const fieldNames: Record<ImportField | "tags", string[]> = {
  email: ["email", "emailaddress", "mail", "emailaddr", "邮箱", "邮箱地址", "电子邮件", "电子邮箱", "邮件", "邮件地址"],
  phone: ["phone", "phonenumber", "mobile", "mobilephone", "mobilenumber", "cell", "cellphone", "tel", "telephone", "手机", "手机号", "手机号码", "电话", "电话号码", "联系电话"],
  first_name: ["firstname", "first", "givenname", "forename", "名", "名字"],
  last_name: ["lastname", "last", "surname", "familyname", "姓", "姓氏"],
  external_id: ["externalid", "userid", "id", "customerid", "memberid", "contactid", "用户id", "用户编号", "会员id", "会员编号", "客户id", "客户编号", "外部id"],
  tags: ["tags", "tag", "labels", "label", "标签"],
  timezone: ["timezone", "tz", "时区"],
  locale: ["locale", "language", "lang", "语言"],
  lifecycle_stage: ["lifecyclestage", "stage", "lifecycle", "生命周期", "生命周期阶段"],
};

const lookup = new Map<string, ImportField | "tags">();
for (const [target, names] of Object.entries(fieldNames)) for (const name of names) lookup.set(name, target as ImportField | "tags");

function normalizeHeader(header: string): string {
  return header.toLowerCase().replace(/[\s_\-.:：]/g, "");
}

/** An attribute key for a header: lower case, words joined by underscores ("Signup Source" → signup_source). */
export function attributeKeyOf(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);
}

export interface GuessedColumn {
  index: number;
  header: string;
  samples: string[];
  /** undefined: ignored. */
  mapping?: ColumnMapping;
}

// A first mapping from the header names and sample values; the person can change every column.
export function guessMapping(columns: string[], rows: string[][], catalogue: Map<string, CatalogueEntry>): GuessedColumn[] {
  const used = new Set<string>();
  return columns.map((header, index) => {
    const samples = rows.map((row) => (row[index] ?? "").trim()).filter(Boolean);
    const base = { index, header, samples: samples.slice(0, 3) };
    const target = lookup.get(normalizeHeader(header));
    if (target === "tags") return { ...base, mapping: { index, target: "tags" } };
    if (target && !used.has(target)) {
      used.add(target);
      return { ...base, mapping: { index, target: "field", field: target } };
    }
    const key = attributeKeyOf(header);
    if (!key || used.has(`attribute:${key}`)) return base;
    used.add(`attribute:${key}`);
    const type: AttributeType = catalogue.get(key)?.type ?? guessType(samples);
    return { ...base, mapping: { index, target: "attribute", key, type } };
  });
}

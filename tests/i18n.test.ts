import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { namespaces } from "@/lib/i18n/messages";
import { localeFromAcceptLanguage, locales } from "@/lib/i18n/locales";

const root = path.join(process.cwd(), "lib/i18n/messages");

function keys(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
  }
  return [prefix];
}

describe("translations", () => {
  it("has a file for every namespace in every language, and no file that is not loaded", () => {
    for (const locale of locales) {
      const files = fs.readdirSync(path.join(root, locale)).map((file) => file.replace(/\.json$/, ""));
      expect(files.sort()).toEqual([...namespaces].sort());
    }
  });

  it.each(namespaces)("says everything in %s in both English and Simplified Chinese", (namespace) => {
    const [en, zh] = locales.map((locale) =>
      JSON.parse(fs.readFileSync(path.join(root, locale, `${namespace}.json`), "utf8")),
    );
    expect(keys(zh).sort()).toEqual(keys(en).sort());
    for (const key of keys(zh)) {
      const text = key.split(".").reduce((node, part) => node[part], zh);
      expect(String(text).trim(), `${namespace}.${key}`).not.toBe("");
    }
  });

  it("picks Simplified Chinese for any Chinese browser and English otherwise", () => {
    expect(localeFromAcceptLanguage("zh-TW,zh;q=0.9")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("fr-FR,en;q=0.5,zh;q=0.4")).toBe("en");
    expect(localeFromAcceptLanguage("de-DE")).toBe("en");
    expect(localeFromAcceptLanguage(null)).toBe("en");
  });
});

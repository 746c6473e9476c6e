import { describe, expect, it } from "vitest";
import { normaliseAddress } from "./suppressions";
import { withUtm } from "./tracking";
import { listUnsubscribeHeaders, maskAddress, recipientLocale } from "./unsubscribe";

describe("listUnsubscribeHeaders", () => {
  it("lists mailto before https and always asks for one-click POST", () => {
    expect(listUnsubscribeHeaders({ oneClick: "https://t.example/u/abc", mailto: "mailto:u@t.example?subject=x" })).toEqual({
      "List-Unsubscribe": "<mailto:u@t.example?subject=x>, <https://t.example/u/abc>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(listUnsubscribeHeaders({ oneClick: "https://t.example/u/abc" })["List-Unsubscribe"]).toBe("<https://t.example/u/abc>");
  });
});

describe("recipientLocale", () => {
  it("prefers the contact's locale, then the browser's", () => {
    expect(recipientLocale("zh_TW", "en-US,en;q=0.9")).toBe("zh-CN");
    expect(recipientLocale("en-GB", "zh-CN")).toBe("en");
    expect(recipientLocale("fr-FR", "zh-CN,zh;q=0.9")).toBe("zh-CN");
    expect(recipientLocale(null, null)).toBe("en");
  });
});

describe("maskAddress", () => {
  it("keeps the first letter and the domain", () => {
    expect(maskAddress("lina@example.com")).toBe("l•••@example.com");
    expect(maskAddress("a@example.com")).toBe("a••@example.com");
  });
});

describe("normaliseAddress", () => {
  it("lower-cases emails and strips phone punctuation", () => {
    expect(normaliseAddress("email", "  Li.Na@Example.COM ")).toBe("li.na@example.com");
    expect(normaliseAddress("sms", "+86 (138) 0013-8000")).toBe("+8613800138000");
  });
});

describe("withUtm", () => {
  it("adds the configured parameters, keeping the link's own", () => {
    expect(withUtm("https://a.example/p?x=1#h", { source: "tl", medium: "email" })).toBe("https://a.example/p?x=1&utm_source=tl&utm_medium=email#h");
    expect(withUtm("https://a.example/p?utm_source=own", { source: "tl", campaign: "c" })).toBe("https://a.example/p?utm_source=own&utm_campaign=c");
    expect(withUtm("https://a.example/p", undefined)).toBe("https://a.example/p");
    expect(withUtm("https://a.example/p", {})).toBe("https://a.example/p");
  });
});

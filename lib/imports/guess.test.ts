import { describe, expect, it } from "vitest";
import { completePrefixLength, detectEncoding } from "./encoding";
import { attributeKeyOf, guessMapping } from "./guess";
import { convertValue, guessType, splitList } from "./values";

describe("column guesses", () => {
  it("knows English and Chinese header names", () => {
    const columns = ["E-mail", "邮箱地址", "手机", "First Name", "名", "姓", "User ID", "标签", "Signup Source", ""];
    const guessed = guessMapping(columns, [["a@x.io", "b@x.io", "138", "Ann", "伟", "张", "u1", "vip", "ads", ""]], new Map());
    expect(guessed.map((column) => column.mapping)).toEqual([
      { index: 0, target: "field", field: "email" },
      // A second email column becomes an attribute rather than fighting over the field.
      { index: 1, target: "attribute", key: "邮箱地址", type: "string" },
      { index: 2, target: "field", field: "phone" },
      { index: 3, target: "field", field: "first_name" },
      { index: 4, target: "attribute", key: "名", type: "string" },
      { index: 5, target: "field", field: "last_name" },
      { index: 6, target: "field", field: "external_id" },
      { index: 7, target: "tags" },
      { index: 8, target: "attribute", key: "signup_source", type: "string" },
      undefined,
    ]);
  });

  it("takes an existing attribute's type and guesses a new one's from samples", () => {
    const catalogue = new Map([["seats", { type: "number" as const, declared: true }]]);
    const guessed = guessMapping(["Seats", "Zip", "Active", "Joined"], [["x", "02134", "yes", "2024-03-05"]], catalogue);
    expect(guessed.map((column) => column.mapping && "type" in column.mapping && column.mapping.type)).toEqual([
      "number",
      "string",
      "boolean",
      "date",
    ]);
    expect(attributeKeyOf("  Signup Source (web) ")).toBe("signup_source_web");
    expect(guessType(["1", "2.5", "-3"])).toBe("number");
  });
});

describe("values", () => {
  it("converts cells to the attribute's type or refuses them", () => {
    expect(convertValue("42", "number")).toEqual({ ok: true, value: 42 });
    expect(convertValue("1,000", "number")).toEqual({ ok: false });
    expect(convertValue("是", "boolean")).toEqual({ ok: true, value: true });
    expect(convertValue("2024/3/5", "date")).toEqual({ ok: true, value: "2024-03-05" });
    expect(convertValue("2024-02-30", "date")).toEqual({ ok: false });
    expect(convertValue("2024-03-05T10:00:00Z", "date")).toEqual({ ok: true, value: "2024-03-05T10:00:00.000Z" });
    expect(convertValue("a, b；c", "list")).toEqual({ ok: true, value: ["a", "b", "c"] });
    expect(splitList(" vip ;; beta,")).toEqual(["vip", "beta"]);
  });
});

describe("encodings", () => {
  it("detects the encoding and never splits a character", () => {
    expect(detectEncoding(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ encoding: "utf-8", bomLength: 3 });
    expect(detectEncoding(Uint8Array.from([0xff, 0xfe, 0x61, 0x00]))).toEqual({ encoding: "utf-16le", bomLength: 2 });
    expect(detectEncoding(Uint8Array.from([0xd5, 0xc5, 0xce, 0xb0]))).toEqual({ encoding: "gb18030", bomLength: 0 });
    const zhang = new TextEncoder().encode("a张");
    expect(completePrefixLength(zhang.subarray(0, 3), "utf-8")).toBe(1);
    expect(completePrefixLength(zhang, "utf-8")).toBe(4);
    expect(completePrefixLength(Uint8Array.from([0x61, 0xd5, 0xc5, 0xce]), "gb18030")).toBe(3);
    expect(completePrefixLength(Uint8Array.from([0x81, 0x30, 0x81]), "gb18030")).toBe(0);
    expect(completePrefixLength(Uint8Array.from([0x61, 0x00, 0x3d, 0xd8]), "utf-16le")).toBe(2);
  });
});

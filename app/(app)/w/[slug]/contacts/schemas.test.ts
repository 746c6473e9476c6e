import { describe, expect, it } from "vitest";
import { bulkTagSchema, editContactSchema } from "./schemas";

const id = "3f1c1f7e-2a4b-4c1d-9e7f-0a1b2c3d4e5f";
const form = (attributes: unknown[], extra: Record<string, string> = {}) => ({
  id,
  firstName: " Ada ",
  lastName: "",
  email: "",
  phone: "",
  attributes: JSON.stringify(attributes),
  unset: JSON.stringify(["plan", "old"]),
  ...extra,
});

function errorsOf(result: ReturnType<typeof editContactSchema.safeParse>) {
  return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [issue.path.join("."), issue.message]));
}

describe("the contact edit form", () => {
  it("reads each value back by its type and unsets only the keys that went away", () => {
    const result = editContactSchema.parse(
      form([
        { key: "plan", type: "string", value: "pro" },
        { key: "seats", type: "number", value: "12" },
        { key: "vip", type: "boolean", value: "false" },
        { key: "renews", type: "date", value: "2026-01-31" },
        { key: "colours", type: "list", value: "red, green ,, blue" },
        { key: "address", type: "json", value: '{"city":"Paris"}' },
      ]),
    );
    expect(result.fields).toEqual({ firstName: "Ada", lastName: null, email: null, phone: null });
    expect(result.set).toEqual({
      plan: "pro",
      seats: 12,
      vip: false,
      renews: "2026-01-31",
      colours: ["red", "green", "blue"],
      address: { city: "Paris" },
    });
    expect(result.unset).toEqual(["old"]);
    expect(result.keys[1]).toBe("seats");
  });

  it("points each bad value at its own row", () => {
    const result = editContactSchema.safeParse(
      form([
        { key: "seats", type: "number", value: "twelve" },
        { key: "", type: "string", value: "x" },
        { key: "a.b", type: "string", value: "x" },
        { key: "email", type: "string", value: "x" },
        { key: "when", type: "date", value: "soon" },
        { key: "blob", type: "json", value: "{nope" },
      ]),
    );
    expect(errorsOf(result)).toMatchObject({
      "attributes.0.value": "attribute_number",
      "attributes.1.key": "attribute_key_required",
      "attributes.2.key": "attribute_key_dot",
      "attributes.3.key": "attribute_key_reserved",
      "attributes.4.value": "attribute_date",
      "attributes.5.value": "attribute_json",
    });
  });

  it("refuses a key used twice, a bad email and a bad phone", () => {
    const result = editContactSchema.safeParse(
      form(
        [
          { key: "plan", type: "string", value: "a" },
          { key: "plan", type: "string", value: "b" },
        ],
        { email: "not an email", phone: "call me" },
      ),
    );
    expect(errorsOf(result)).toMatchObject({ email: "invalid_email", phone: "phone_invalid" });
    const duplicate = editContactSchema.safeParse(
      form([
        { key: "plan", type: "string", value: "a" },
        { key: "plan", type: "string", value: "b" },
      ]),
    );
    expect(errorsOf(duplicate)).toEqual({ "attributes.1.key": "attribute_key_duplicate" });
  });
});

describe("bulk tagging", () => {
  it("takes the selection as a comma-separated list of ids", () => {
    expect(bulkTagSchema.parse({ ids: `${id},${id}`, tag: " vip ", mode: "add" })).toEqual({ ids: [id, id], tag: "vip", mode: "add" });
    expect(bulkTagSchema.safeParse({ ids: "", tag: "vip", mode: "add" }).success).toBe(false);
    expect(bulkTagSchema.safeParse({ ids: "not-an-id", tag: "vip", mode: "add" }).success).toBe(false);
    expect(bulkTagSchema.safeParse({ ids: id, tag: "  ", mode: "add" }).success).toBe(false);
  });
});

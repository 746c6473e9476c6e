import { describe, expect, it } from "vitest";
import { inboxItemUrl } from "./inbox";

describe("inbox item links", () => {
  it("keeps web links, paths and app deep links", () => {
    expect(inboxItemUrl({ data: { url: " https://shop.example/orders/1 " } })).toBe("https://shop.example/orders/1");
    expect(inboxItemUrl({ data: { url: "/orders/1" } })).toBe("/orders/1");
    expect(inboxItemUrl({ data: { url: "myapp://orders/1" } })).toBe("myapp://orders/1");
  });

  it("drops script URLs however they are disguised, and empty or missing ones", () => {
    for (const url of ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>1</script>", "vbscript:x"]) {
      expect(inboxItemUrl({ data: { url } })).toBeNull();
    }
    expect(inboxItemUrl({ data: { url: "  " } })).toBeNull();
    expect(inboxItemUrl({ data: { url: 42 } })).toBeNull();
    expect(inboxItemUrl({})).toBeNull();
  });
});

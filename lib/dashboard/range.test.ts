import { describe, expect, it } from "vitest";
import { dashboardRange, localDate, parseRangeDays } from "./range";

describe("dashboard ranges", () => {
  it("reads ?range= as 7, 30 or 90 days and anything else as 30", () => {
    expect(parseRangeDays("7")).toBe(7);
    expect(parseRangeDays("90")).toBe(90);
    expect(parseRangeDays(["7", "90"])).toBe(7);
    expect(parseRangeDays("14")).toBe(30);
    expect(parseRangeDays("7; drop table")).toBe(30);
    expect(parseRangeDays(undefined)).toBe(30);
  });

  it("starts at local midnight, today being the last of the days", () => {
    const now = new Date("2026-03-10T04:00:00Z");
    expect(localDate(now, "Asia/Shanghai")).toBe("2026-03-10");
    expect(localDate(now, "America/Los_Angeles")).toBe("2026-03-09");
    expect(dashboardRange(7, "Asia/Shanghai", now)).toEqual({ from: new Date("2026-03-03T16:00:00Z"), to: now });
    expect(dashboardRange(1, "UTC", now).from).toEqual(new Date("2026-03-10T00:00:00Z"));
    // Across a month end, and across the clocks going forward (Los Angeles, 8 March 2026).
    expect(dashboardRange(30, "UTC", now).from).toEqual(new Date("2026-02-09T00:00:00Z"));
    expect(dashboardRange(7, "America/Los_Angeles", now).from).toEqual(new Date("2026-03-03T08:00:00Z"));
  });
});

import { describe, expect, it } from "vitest";
import { quietHoursEnd } from "./pacing";

const night = { start: "21:00", end: "08:00" };

describe("quiet hours", () => {
  it("holds a message sent inside a window that wraps midnight until the window ends, in the contact's zone", () => {
    // 23:30 in Shanghai (UTC+8) → 08:00 local = 00:00 UTC.
    expect(quietHoursEnd(new Date("2026-12-01T15:30:00Z"), night, "Asia/Shanghai")).toEqual(new Date("2026-12-02T00:00:00Z"));
    // 02:15:30 in Shanghai, after midnight, same window.
    expect(quietHoursEnd(new Date("2026-12-01T18:15:30Z"), night, "Asia/Shanghai")).toEqual(new Date("2026-12-02T00:00:00Z"));
    // The same instant is 10:15 in London: no wait.
    expect(quietHoursEnd(new Date("2026-12-01T10:15:00Z"), night, "Europe/London")).toBeUndefined();
  });

  it("lets a message go at the end minute and holds it from the start minute", () => {
    expect(quietHoursEnd(new Date("2026-12-02T00:00:00Z"), night, "Asia/Shanghai")).toBeUndefined();
    expect(quietHoursEnd(new Date("2026-12-01T13:00:00Z"), night, "Asia/Shanghai")).toEqual(new Date("2026-12-02T00:00:00Z"));
  });

  it("handles a daytime window and no window", () => {
    const lunch = { start: "12:00", end: "13:30" };
    expect(quietHoursEnd(new Date("2026-06-01T16:45:00Z"), lunch, "America/New_York")).toEqual(new Date("2026-06-01T17:30:00Z"));
    expect(quietHoursEnd(new Date("2026-06-01T16:45:00Z"), undefined, "America/New_York")).toBeUndefined();
    expect(quietHoursEnd(new Date("2026-06-01T16:45:00Z"), { start: "09:00", end: "09:00" }, "UTC")).toBeUndefined();
  });
});

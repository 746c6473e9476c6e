import { describe, expect, it } from "vitest";
import { botReason, isAppleAddress, type Hit } from "./bots";

const sentAt = new Date("2026-03-01T10:00:00Z");
const later = new Date("2026-03-01T10:05:00Z");
const safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
const hit = (overrides: Partial<Hit>): Hit => ({ kind: "open", method: "GET", userAgent: safari, ip: "203.0.113.9", sentAt, now: later, ...overrides });

describe("botReason", () => {
  it("takes a person's open and click as human", () => {
    expect(botReason(hit({}))).toBeUndefined();
    expect(botReason(hit({ kind: "click" }))).toBeUndefined();
  });

  it("flags crawlers, empty agents and HEAD requests", () => {
    expect(botReason(hit({ userAgent: "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)" }))).toBe("user_agent");
    expect(botReason(hit({ userAgent: "python-requests/2.31" }))).toBe("user_agent");
    expect(botReason(hit({ userAgent: "" }))).toBe("no_user_agent");
    expect(botReason(hit({ userAgent: null }))).toBe("no_user_agent");
    expect(botReason(hit({ method: "HEAD" }))).toBe("head_request");
  });

  it("flags Apple Mail Privacy Protection by its bare agent or Apple's network", () => {
    expect(botReason(hit({ userAgent: "Mozilla/5.0" }))).toBe("apple_privacy_proxy");
    expect(botReason(hit({ ip: "17.253.1.1" }))).toBe("apple_privacy_proxy");
    expect(botReason(hit({ ip: "::ffff:17.0.0.1" }))).toBe("apple_privacy_proxy");
    expect(isAppleAddress("170.1.1.1")).toBe(false);
    expect(isAppleAddress("117.1.1.1")).toBe(false);
  });

  it("counts Gmail's and Yahoo's image proxies as the person opening the mail", () => {
    expect(botReason(hit({ userAgent: "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)" }))).toBeUndefined();
    expect(botReason(hit({ userAgent: "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html" }))).toBeUndefined();
  });

  it("flags link scanners: a click seconds after sending, or a burst over several links", () => {
    expect(botReason(hit({ kind: "click", now: new Date(sentAt.getTime() + 3000) }))).toBe("too_soon");
    // An open that soon is fine: people do open mail the moment it lands.
    expect(botReason(hit({ kind: "open", now: new Date(sentAt.getTime() + 3000) }))).toBeUndefined();
    process.env.TRACKING_SCANNER_SECONDS = "0";
    try {
      expect(botReason(hit({ kind: "click", now: new Date(sentAt.getTime() + 3000) }))).toBeUndefined();
    } finally {
      delete process.env.TRACKING_SCANNER_SECONDS;
    }
    expect(botReason(hit({ kind: "click", recentDistinctLinks: 2 }))).toBe("link_burst");
    expect(botReason(hit({ kind: "click", recentDistinctLinks: 1 }))).toBeUndefined();
  });
});

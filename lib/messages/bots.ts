import { isbot } from "isbot";

// Who opened or clicked: a person, or a machine acting before (or instead of) one. Machine
// opens and clicks are stored with bot=true and left out of status, opened_at/clicked_at, the
// contact timeline and human rates. docs/email-tracking.md explains each rule.

/**
 * A click this soon after the message was sent is a link scanner (security gateways fetch
 * every link on arrival). TRACKING_SCANNER_SECONDS changes it; 0 turns the rule off.
 */
export function scannerWindowSeconds(): number {
  const configured = Number(process.env.TRACKING_SCANNER_SECONDS);
  return process.env.TRACKING_SCANNER_SECONDS && Number.isFinite(configured) && configured >= 0 ? configured : 10;
}
/** This many different links of one message clicked within `burstWindowSeconds` is a scanner too. */
export const burstLinks = 3;
export const burstWindowSeconds = 5;

export type BotReason = "head_request" | "no_user_agent" | "apple_privacy_proxy" | "user_agent" | "too_soon" | "link_burst";

export interface Hit {
  kind: "open" | "click";
  method: string;
  userAgent: string | null;
  ip: string | null;
  /** When the message left (sent_at); null when it was never recorded as sent. */
  sentAt: Date | null;
  now: Date;
  /** Distinct other links of this message clicked within the burst window (clicks only). */
  recentDistinctLinks?: number;
}

// Image proxies that fetch the pixel when the person opens the mail (and cache it after): the
// fetch is the person's open, so they count as human.
const humanImageProxies = [/GoogleImageProxy/i, /YahooMailProxy/i];

/** Apple's 17.0.0.0/8, where Mail Privacy Protection prefetches images from. */
export function isAppleAddress(ip: string | null): boolean {
  if (!ip) return false;
  const v4 = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  return /^17\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** The first address of X-Forwarded-For, else X-Real-IP. */
export function clientIp(headers: Headers): string | null {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || null;
}

/** Why a hit is a machine's, or undefined for a person's. */
export function botReason(hit: Hit): BotReason | undefined {
  if (hit.method.toUpperCase() === "HEAD") return "head_request";
  const ua = hit.userAgent?.trim() ?? "";
  if (!ua) return "no_user_agent";
  // Mail Privacy Protection fetches through Apple's proxies with a bare "Mozilla/5.0" agent,
  // from Apple's own network, usually right after delivery whether or not the mail is read.
  if (isAppleAddress(hit.ip) || ua === "Mozilla/5.0") return "apple_privacy_proxy";
  if (!humanImageProxies.some((proxy) => proxy.test(ua)) && isbot(ua)) return "user_agent";
  if (hit.kind === "click") {
    if (hit.sentAt && hit.now.getTime() - hit.sentAt.getTime() < scannerWindowSeconds() * 1000) return "too_soon";
    if ((hit.recentDistinctLinks ?? 0) + 1 >= burstLinks) return "link_burst";
  }
  return undefined;
}

import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { forgetWorkspace } from "./reference-cache";
import { messagingSettings, type FrequencyCap, type MessagingSettings, type QuietHours, type Channel } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { decryptSecret, encryptSecret } from "./secrets";

export interface DkimKey {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/** A workspace's sending setup with its secrets decrypted: for the pipeline, never for the UI. */
export interface ResolvedMessagingSettings {
  /** The workspace's SMTP server, else SMTP_URL; none: email goes to the outbox. */
  smtpUrl?: string;
  /** Where smtpUrl came from. */
  smtpSource: "workspace" | "environment" | "none";
  dkim?: DkimKey;
  postalAddress?: string;
  frequencyCaps: Partial<Record<Channel, FrequencyCap>>;
  quietHours?: QuietHours;
  trackOpens: boolean;
  trackClicks: boolean;
  utm?: { source?: string; medium?: string; campaign?: string };
  webhookSecret?: string;
}

/** What the settings page shows: secrets only as "set" and where SMTP points. */
export interface MessagingSettingsView {
  smtpDisplay?: string;
  smtpSource: "workspace" | "environment" | "none";
  environmentSmtpDisplay?: string;
  dkimDomain?: string;
  dkimSelector?: string;
  dkimKeySet: boolean;
  postalAddress?: string;
  frequencyCaps: Partial<Record<Channel, FrequencyCap>>;
  quietHours?: QuietHours;
  trackOpens: boolean;
  trackClicks: boolean;
  utm?: { source?: string; medium?: string; campaign?: string };
  webhookSecretSet: boolean;
}

async function row(db: Db, workspaceId: string): Promise<MessagingSettings | undefined> {
  const [found] = await db.select().from(messagingSettings).where(eq(messagingSettings.workspaceId, workspaceId));
  return found;
}

/** smtp://user:pass@host:port without the password. */
export function smtpDisplay(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "****";
    return parsed.toString();
  } catch {
    return "(invalid SMTP_URL)";
  }
}

export function parseSmtpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError("validation_failed", "The SMTP server must be a URL like smtp://user:password@smtp.example.com:587.", [
      { path: "smtpUrl", message: "smtp_url_invalid" },
    ]);
  }
  if (!["smtp:", "smtps:"].includes(parsed.protocol) || !parsed.hostname) {
    throw new AppError("validation_failed", "The SMTP server must start with smtp:// or smtps:// and name a host.", [
      { path: "smtpUrl", message: "smtp_url_invalid" },
    ]);
  }
  return parsed;
}

export async function loadMessagingSettings(db: Db, workspaceId: string): Promise<ResolvedMessagingSettings> {
  const found = await row(db, workspaceId);
  const own = found?.smtpUrlEncrypted ? await decryptSecret(db, found.smtpUrlEncrypted) : undefined;
  const smtpUrl = own ?? (process.env.SMTP_URL || undefined);
  const privateKey = found?.dkimPrivateKeyEncrypted ? await decryptSecret(db, found.dkimPrivateKeyEncrypted) : undefined;
  return {
    smtpUrl,
    smtpSource: own ? "workspace" : smtpUrl ? "environment" : "none",
    dkim:
      found?.dkimDomain && found.dkimSelector && privateKey
        ? { domainName: found.dkimDomain, keySelector: found.dkimSelector, privateKey }
        : undefined,
    postalAddress: found?.postalAddress ?? undefined,
    frequencyCaps: found?.frequencyCaps ?? {},
    quietHours: found?.quietHours ?? undefined,
    trackOpens: found?.trackOpens ?? true,
    trackClicks: found?.trackClicks ?? true,
    utm: found?.utm ?? undefined,
    webhookSecret: found?.webhookSecretEncrypted ? await decryptSecret(db, found.webhookSecretEncrypted) : undefined,
  };
}

export async function messagingSettingsView(db: Db, workspaceId: string): Promise<MessagingSettingsView> {
  const found = await row(db, workspaceId);
  const environment = process.env.SMTP_URL || undefined;
  return {
    smtpDisplay: found?.smtpDisplay ?? undefined,
    smtpSource: found?.smtpUrlEncrypted ? "workspace" : environment ? "environment" : "none",
    environmentSmtpDisplay: environment ? smtpDisplay(environment) : undefined,
    dkimDomain: found?.dkimDomain ?? undefined,
    dkimSelector: found?.dkimSelector ?? undefined,
    dkimKeySet: Boolean(found?.dkimPrivateKeyEncrypted),
    postalAddress: found?.postalAddress ?? undefined,
    frequencyCaps: found?.frequencyCaps ?? {},
    quietHours: found?.quietHours ?? undefined,
    trackOpens: found?.trackOpens ?? true,
    trackClicks: found?.trackClicks ?? true,
    utm: found?.utm ?? undefined,
    webhookSecretSet: Boolean(found?.webhookSecretEncrypted),
  };
}

/**
 * Changes what is named: `undefined` keeps a setting, `null` clears it. Secrets are encrypted
 * before they are stored.
 */
export interface MessagingSettingsPatch {
  smtpUrl?: string | null;
  dkim?: { domain: string; selector: string; privateKey?: string } | null;
  postalAddress?: string | null;
  frequencyCaps?: Partial<Record<Channel, FrequencyCap>>;
  quietHours?: QuietHours | null;
  trackOpens?: boolean;
  trackClicks?: boolean;
  utm?: { source?: string; medium?: string; campaign?: string } | null;
  webhookSecret?: string | null;
}

export async function saveMessagingSettings(db: Db, workspaceId: string, patch: MessagingSettingsPatch): Promise<void> {
  forgetWorkspace(workspaceId);
  const set: Partial<typeof messagingSettings.$inferInsert> = { updatedAt: new Date() };
  if (patch.smtpUrl !== undefined) {
    if (patch.smtpUrl === null) {
      set.smtpUrlEncrypted = null;
      set.smtpDisplay = null;
    } else {
      parseSmtpUrl(patch.smtpUrl);
      set.smtpUrlEncrypted = await encryptSecret(db, patch.smtpUrl);
      set.smtpDisplay = smtpDisplay(patch.smtpUrl);
    }
  }
  if (patch.dkim !== undefined) {
    set.dkimDomain = patch.dkim?.domain ?? null;
    set.dkimSelector = patch.dkim?.selector ?? null;
    if (patch.dkim === null) set.dkimPrivateKeyEncrypted = null;
    else if (patch.dkim.privateKey) set.dkimPrivateKeyEncrypted = await encryptSecret(db, patch.dkim.privateKey);
  }
  if (patch.postalAddress !== undefined) set.postalAddress = patch.postalAddress;
  if (patch.frequencyCaps !== undefined) set.frequencyCaps = patch.frequencyCaps;
  if (patch.quietHours !== undefined) set.quietHours = patch.quietHours;
  if (patch.trackOpens !== undefined) set.trackOpens = patch.trackOpens;
  if (patch.trackClicks !== undefined) set.trackClicks = patch.trackClicks;
  if (patch.utm !== undefined) set.utm = patch.utm;
  if (patch.webhookSecret !== undefined) {
    set.webhookSecretEncrypted = patch.webhookSecret === null ? null : await encryptSecret(db, patch.webhookSecret);
  }
  await db
    .insert(messagingSettings)
    .values({ workspaceId, ...set })
    .onConflictDoUpdate({ target: messagingSettings.workspaceId, set: { ...set, updatedAt: sql`now()` } });
}

import { generateKeyPairSync } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { messagingSettings, senderIdentities } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { createSender, defaultSender, deleteSender, listSenders, makeDefaultSender, updateSender } from "@/lib/messages/senders";
import { loadMessagingSettings, messagingSettingsView, saveMessagingSettings } from "@/lib/messages/settings";
import { deliverySettingsSchema, dkimSettingsSchema, senderSchema, smtpSettingsSchema, trackingSettingsSchema } from "@/lib/validation/messaging";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

function issues(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));
}

describe("Settings → Sending forms", () => {
  it("refuses an SMTP server that is not an smtp:// or smtps:// URL, on the field", () => {
    for (const bad of ["mail.example.com:587", "http://user:pw@mail.example.com", "smtp://", ""]) {
      const result = smtpSettingsSchema.safeParse({ intent: "save", smtpUrl: bad });
      expect(result.success, bad).toBe(false);
      expect(issues(result).smtpUrl, bad).toMatch(/^smtp_url_(invalid|required)$/);
    }
    expect(smtpSettingsSchema.parse({ intent: "save", smtpUrl: " smtps://u:p%40ss@smtp.example.com:465 " })).toEqual({
      intent: "save",
      smtpUrl: "smtps://u:p%40ss@smtp.example.com:465",
    });
    expect(smtpSettingsSchema.parse({ intent: "clear", smtpUrl: "ignored" })).toEqual({ intent: "clear" });
  });

  it("checks DKIM, pacing, tracking and sender fields where they are typed", () => {
    expect(issues(dkimSettingsSchema.safeParse({ intent: "save", domain: "not a domain", selector: "s 1", privateKey: "hello" }))).toEqual({
      domain: "dkim_domain_invalid",
      selector: "dkim_selector_invalid",
      privateKey: "dkim_key_invalid",
    });
    // An empty key keeps the stored one.
    expect(dkimSettingsSchema.parse({ intent: "save", domain: "Example.COM", selector: "tl1", privateKey: "" })).toEqual({
      intent: "save",
      domain: "example.com",
      selector: "tl1",
      privateKey: undefined,
    });

    expect(issues(deliverySettingsSchema.safeParse({ capCount_email: "3", capHours_email: "", quietEnabled: "on", quietStart: "25:00", quietEnd: "" }))).toEqual({
      capHours_email: "cap_incomplete",
      quietStart: "time_invalid",
      quietEnd: "time_required",
    });
    expect(issues(deliverySettingsSchema.safeParse({ capCount_sms: "0", capHours_sms: "2.5" }))).toEqual({ capCount_sms: "number_min", capHours_sms: "number_invalid" });
    const delivery = deliverySettingsSchema.parse({ capCount_email: "3", capHours_email: "24", quietEnabled: "on", quietStart: "21:00", quietEnd: "08:00" });
    expect(delivery).toMatchObject({ capCount_email: 3, capHours_email: 24, quietEnabled: true, quietStart: "21:00", quietEnd: "08:00" });

    expect(trackingSettingsSchema.parse({ trackOpens: "on", utmSource: " news ", utmMedium: "" })).toEqual({
      trackOpens: true,
      trackClicks: false,
      utmSource: "news",
      utmMedium: undefined,
      utmCampaign: undefined,
    });
    expect(issues(trackingSettingsSchema.safeParse({ utmCampaign: "spring sale&x=1" }))).toEqual({ utmCampaign: "utm_invalid" });

    expect(issues(senderSchema.safeParse({ name: " ", email: "nope", replyTo: "also nope" }))).toEqual({
      name: "sender_name_required",
      email: "invalid_email",
      replyTo: "invalid_email",
    });
    expect(senderSchema.parse({ name: "Acme", email: "News@Acme.test", replyTo: "", isDefault: "on" })).toEqual({
      id: undefined,
      name: "Acme",
      email: "news@acme.test",
      replyTo: undefined,
      isDefault: true,
    });
  });
});

describe.each(databaseKinds)("sending settings on %s", (kind) => {
  let database: Database;
  const environment = process.env.SMTP_URL;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(() => {
    if (environment === undefined) delete process.env.SMTP_URL;
    else process.env.SMTP_URL = environment;
  });
  afterAll(async () => {
    await database?.close();
  });

  const defaults = async (workspaceId: string) =>
    (await database.db.select().from(senderIdentities).where(and(eq(senderIdentities.workspaceId, workspaceId), eq(senderIdentities.isDefault, true)))).map(
      (row) => row.email,
    );

  it("keeps exactly one default sender through adds, edits, moves and deletes", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    expect(await defaultSender(database.db, workspace.id)).toBeUndefined();

    const news = await createSender(database.db, workspace.id, { name: "Acme News", email: "News@Acme.test" });
    expect(news).toMatchObject({ isDefault: true, email: "news@acme.test" });
    const support = await createSender(database.db, workspace.id, { name: "Support", email: "help@acme.test", replyTo: "tickets@acme.test" });
    expect(support.isDefault).toBe(false);
    expect(await defaults(workspace.id)).toEqual(["news@acme.test"]);

    const sales = await createSender(database.db, workspace.id, { name: "Sales", email: "sales@acme.test", isDefault: true });
    expect(sales.isDefault).toBe(true);
    expect(await defaults(workspace.id)).toEqual(["sales@acme.test"]);
    expect((await listSenders(database.db, workspace.id))[0].id).toBe(sales.id);

    await updateSender(database.db, workspace.id, support.id, { name: "Help desk", email: "help@acme.test", replyTo: null, isDefault: true });
    expect(await defaults(workspace.id)).toEqual(["help@acme.test"]);
    // Editing without asking for default keeps whoever is the default.
    await updateSender(database.db, workspace.id, news.id, { name: "Acme Newsletter", email: "news@acme.test" });
    expect(await defaults(workspace.id)).toEqual(["help@acme.test"]);

    // Two moves at once still end with one default.
    await Promise.all([makeDefaultSender(database.db, workspace.id, news.id), makeDefaultSender(database.db, workspace.id, sales.id)]);
    expect(await defaults(workspace.id)).toHaveLength(1);

    await makeDefaultSender(database.db, workspace.id, sales.id);
    await deleteSender(database.db, workspace.id, sales.id);
    // The oldest left takes over.
    expect(await defaults(workspace.id)).toEqual(["news@acme.test"]);
    await deleteSender(database.db, workspace.id, support.id);
    expect(await defaults(workspace.id)).toEqual(["news@acme.test"]);
    await deleteSender(database.db, workspace.id, news.id);
    expect(await listSenders(database.db, workspace.id)).toEqual([]);
  });

  it("never touches another workspace's senders", async () => {
    const a = await createOwnedWorkspace(database.db);
    const b = await createOwnedWorkspace(database.db);
    const mine = await createSender(database.db, a.workspace.id, { name: "A", email: "a@a.test" });
    const theirs = await createSender(database.db, b.workspace.id, { name: "B", email: "b@b.test" });
    await createSender(database.db, a.workspace.id, { name: "A2", email: "a2@a.test", isDefault: true });
    expect(await defaults(b.workspace.id)).toEqual(["b@b.test"]);

    const refused = [
      () => makeDefaultSender(database.db, a.workspace.id, theirs.id),
      () => deleteSender(database.db, a.workspace.id, theirs.id),
      () => updateSender(database.db, a.workspace.id, theirs.id, { name: "Hijack", email: "x@x.test" }),
    ];
    for (const attempt of refused) await expect(attempt()).rejects.toMatchObject({ code: "not_found" });
    expect((await listSenders(database.db, b.workspace.id)).map((row) => [row.name, row.isDefault])).toEqual([["B", true]]);
    expect((await listSenders(database.db, a.workspace.id)).map((row) => row.id)).toContain(mine.id);
  });

  it("stores SMTP and DKIM secrets encrypted and never shows them back", async () => {
    delete process.env.SMTP_URL;
    const { workspace } = await createOwnedWorkspace(database.db);
    expect(await messagingSettingsView(database.db, workspace.id)).toMatchObject({ smtpSource: "none", dkimKeySet: false, trackOpens: true });

    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const password = "s3cret-Pa55word";
    await saveMessagingSettings(database.db, workspace.id, {
      smtpUrl: `smtp://mailer:${password}@smtp.acme.test:587`,
      dkim: { domain: "acme.test", selector: "tl1", privateKey: pem },
      postalAddress: "1 Harbour Road, Portsmouth",
      frequencyCaps: { email: { count: 3, hours: 24 } },
      quietHours: { start: "21:00", end: "08:00" },
      trackClicks: false,
      utm: { source: "tideline", medium: "email" },
    });

    const view = await messagingSettingsView(database.db, workspace.id);
    expect(view).toMatchObject({
      smtpSource: "workspace",
      smtpDisplay: "smtp://mailer:****@smtp.acme.test:587",
      dkimDomain: "acme.test",
      dkimSelector: "tl1",
      dkimKeySet: true,
      postalAddress: "1 Harbour Road, Portsmouth",
      frequencyCaps: { email: { count: 3, hours: 24 } },
      quietHours: { start: "21:00", end: "08:00" },
      trackOpens: true,
      trackClicks: false,
    });
    const shown = JSON.stringify(view);
    expect(shown).not.toContain(password);
    expect(shown).not.toContain("PRIVATE KEY");
    // Nor in the row itself: only ciphertext is stored.
    const [row] = await database.db.select().from(messagingSettings).where(eq(messagingSettings.workspaceId, workspace.id));
    expect(JSON.stringify(row)).not.toContain(password);
    expect(JSON.stringify(row)).not.toContain("PRIVATE KEY");
    // The pipeline still gets them.
    const resolved = await loadMessagingSettings(database.db, workspace.id);
    expect(resolved.smtpUrl).toBe(`smtp://mailer:${password}@smtp.acme.test:587`);
    expect(resolved.dkim?.privateKey).toBe(pem);

    // A DKIM save without a new key keeps the stored one; clearing SMTP falls back to SMTP_URL, then to the outbox.
    await saveMessagingSettings(database.db, workspace.id, { dkim: { domain: "mail.acme.test", selector: "tl2" } });
    expect((await loadMessagingSettings(database.db, workspace.id)).dkim).toMatchObject({ domainName: "mail.acme.test", keySelector: "tl2", privateKey: pem });
    process.env.SMTP_URL = "smtp://relay:relaypass@relay.internal:25";
    await saveMessagingSettings(database.db, workspace.id, { smtpUrl: null });
    const fallback = await messagingSettingsView(database.db, workspace.id);
    expect(fallback).toMatchObject({ smtpSource: "environment", environmentSmtpDisplay: "smtp://relay:****@relay.internal:25" });
    expect(fallback.smtpDisplay).toBeUndefined();
    expect(JSON.stringify(fallback)).not.toContain("relaypass");
    delete process.env.SMTP_URL;
    expect((await messagingSettingsView(database.db, workspace.id)).smtpSource).toBe("none");
  });

  it("refuses a bad SMTP URL with a field error and keeps the server it had", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    await saveMessagingSettings(database.db, workspace.id, { smtpUrl: "smtp://a:b@good.acme.test:25" });
    const error = await saveMessagingSettings(database.db, workspace.id, { smtpUrl: "https://good.acme.test" }).catch((caught) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "validation_failed", status: 422, details: [{ path: "smtpUrl", message: "smtp_url_invalid" }] });
    expect((await messagingSettingsView(database.db, workspace.id)).smtpDisplay).toBe("smtp://a:****@good.acme.test:25");
  });
});

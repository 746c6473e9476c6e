import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Database } from "@/db/client";
import { queryRows } from "@/db/sql";
import { contacts, messages, monitorMatches, pointTransactions, type Contact } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { eventProcess } from "@/jobs/event-process";
import { jobs } from "@/jobs/registry";
import { AppError } from "@/lib/errors";
import { createMonitor, setMonitorStatus, testMonitor } from "@/lib/monitors/manage";
import { monitorExamples, monitorInput } from "@/lib/monitors/schema";
import { deliverMessage } from "@/lib/messages/send";
import { createTemplate } from "@/lib/messages/templates";
import { codeAlphabet, contactCoupons, createCampaign, issueCoupon, redeemCoupon, uploadCodes } from "@/lib/rewards/coupons";
import { awardPoints, contactPoints, expirePoints, redeemPoints, saveRewardSettings } from "@/lib/rewards/points";
import { matchingContactsQuery } from "@/lib/segments/compile";
import { validateRule } from "@/lib/segments/validate";
import { parseBatchItem, type TrackingCall } from "@/lib/tracking/calls";
import { ingestCalls } from "@/lib/tracking/ingest";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

function call(raw: Record<string, unknown>): TrackingCall {
  const parsed = parseBatchItem(raw);
  if ("reason" in parsed) throw new Error(parsed.reason);
  return parsed.call;
}

const day = 86_400_000;

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "accepted";
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe.each(databaseKinds)("rewards on %s", (kind) => {
  let database: Database;
  let boss: PgBoss;

  beforeAll(async () => {
    process.env.APP_URL = "https://mkt.example.test";
    database = await openTestDatabase(kind);
    boss = await createBoss(database, { maintenance: false });
    await ensureQueues(boss, jobs);
    setBoss(boss);
  });

  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    await database?.close();
  });

  async function setup(people = 1) {
    const { workspace, owner } = await createOwnedWorkspace(database.db);
    const values = Array.from({ length: people }, (_, index) => ({ workspaceId: workspace.id, email: `r${index}@example.test`, externalId: `u${index}` }));
    const rows: Contact[] = values.length > 0 ? await database.db.insert(contacts).values(values).returning() : [];
    return { workspace, owner, people: rows };
  }

  async function ledgerSum(workspaceId: string, contactId: string) {
    const [row] = await queryRows<{ sum: number }>(database.db, sql`select coalesce(sum(amount), 0)::int as sum from point_transactions where workspace_id = ${workspaceId} and contact_id = ${contactId}`);
    return row.sum;
  }

  async function track(workspaceId: string, calls: Record<string, unknown>[]) {
    await ingestCalls(database.db, workspaceId, calls.map(call));
    await eventProcess.handle({ workspaceId }, { database, db: database.db, jobId: "test", attempt: 0 });
  }

  it("keeps a points ledger: awards, redemptions that refuse an insufficient balance, keys that apply once, oldest points expire first", async () => {
    const { workspace, people } = await setup();
    const [ann] = people;
    const start = new Date();
    await awardPoints(database.db, workspace.id, { contactId: ann.id, points: 100, source: "api", idempotencyKey: "a1", expiresAt: new Date(start.getTime() + 10 * day) });
    await awardPoints(database.db, workspace.id, { contactId: ann.id, points: 50, source: "manual", idempotencyKey: "a2" });
    const again = await awardPoints(database.db, workspace.id, { contactId: ann.id, points: 100, source: "api", idempotencyKey: "a1" });
    expect(again).toMatchObject({ created: false, balance: 150 });

    expect(await refusal(redeemPoints(database.db, workspace.id, { contactId: ann.id, points: 151, idempotencyKey: "r0" }))).toBe("insufficient_points");
    const spent = await redeemPoints(database.db, workspace.id, { contactId: ann.id, points: 30, idempotencyKey: "r1", reason: "Mug" });
    expect(spent.balance).toBe(120);
    // The 30 came out of the award that expires first: 70 of it is left to expire.
    expect(await expirePoints(database.db, new Date(start.getTime() + 11 * day))).toBe(1);
    expect(await expirePoints(database.db, new Date(start.getTime() + 12 * day))).toBe(0);
    const points = await contactPoints(database.db, workspace.id, ann.id);
    expect(points).toMatchObject({ balance: 50, earned: 150, spent: 30, expired: 70 });
    expect(points.transactions.map((row) => `${row.source}:${row.amount}:${row.balanceAfter}`)).toEqual(["expiry:-70:50", "redeem:-30:120", "manual:50:150", "api:100:100"]);
    expect(await ledgerSum(workspace.id, ann.id)).toBe(50);
    const [contact] = await database.db.select().from(contacts).where(and(eq(contacts.workspaceId, workspace.id), eq(contacts.id, ann.id)));
    expect(contact.pointsBalance).toBe(50);

    // points_balance works in segment rules.
    const rule = validateRule({ ">=": [{ var: "points_balance" }, 50] }, { attributes: new Map() });
    if (!rule.ok) throw new Error("rule");
    const matching = await queryRows<{ id: string }>(database.db, matchingContactsQuery(rule.condition, { workspaceId: workspace.id, now: new Date() }));
    expect(matching.map((row) => row.id)).toEqual([ann.id]);

    await saveRewardSettings(database.db, workspace.id, { allowNegative: true });
    expect((await redeemPoints(database.db, workspace.id, { contactId: ann.id, points: 80, idempotencyKey: "r2" })).balance).toBe(-30);
  });

  it("never lets parallel redemptions take a balance below zero, and the balance is always the ledger's sum", async () => {
    const { workspace, people } = await setup();
    const [ann] = people;
    await awardPoints(database.db, workspace.id, { contactId: ann.id, points: 100, source: "api", idempotencyKey: "seed" });
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, index) => refusal(redeemPoints(database.db, workspace.id, { contactId: ann.id, points: 10, idempotencyKey: `p${index}` }))),
    );
    expect(outcomes.filter((outcome) => outcome === "accepted")).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome === "insufficient_points")).toHaveLength(20);
    expect((await contactPoints(database.db, workspace.id, ann.id)).balance).toBe(0);
    expect(await ledgerSum(workspace.id, ann.id)).toBe(0);
  });

  it("issues each pooled code once under 1,000 parallel issues for 500 codes, and redeems a code once", async () => {
    const { workspace, people } = await setup(kind === "postgres" ? 1000 : 200);
    const size = people.length / 2;
    const campaign = await createCampaign(database.db, workspace.id, { name: "Spring", source: "pool", value: { kind: "amount", amount: 10, currency: "CNY" } });
    const uploaded = await uploadCodes(database.db, workspace.id, campaign.id, [...Array.from({ length: size }, (_, index) => `SPRING-${index}`), "SPRING-0", "  "]);
    expect(uploaded).toEqual({ added: size, skipped: 0, blank: 1 });
    const outcomes = await Promise.all(
      people.map((person) =>
        issueCoupon(database.db, workspace.id, { campaignId: campaign.id, contactId: person.id }).then(
          (issued) => issued.code.code,
          (error: unknown) => (error instanceof AppError ? `!${error.code}` : Promise.reject(error)),
        ),
      ),
    );
    const codes = outcomes.filter((outcome) => !outcome.startsWith("!"));
    expect(codes).toHaveLength(size);
    expect(new Set(codes).size).toBe(size);
    expect(outcomes.filter((outcome) => outcome === "!out_of_stock")).toHaveLength(size);

    const code = codes[0];
    const redemptions = await Promise.all(Array.from({ length: 10 }, () => refusal(redeemCoupon(database.db, workspace.id, { code, ref: "order-1" }))));
    expect(redemptions.filter((outcome) => outcome === "accepted")).toHaveLength(1);
    expect(redemptions.filter((outcome) => outcome === "coupon_used")).toHaveLength(9);
    expect(await refusal(redeemCoupon(database.db, workspace.id, { code: "NOPE" }))).toBe("not_found");
  });

  it("generates codes without look-alikes, holds the per-contact limit, refuses expired and unissued codes", async () => {
    const { workspace, people } = await setup(2);
    const [ann, bob] = people;
    const campaign = await createCampaign(database.db, workspace.id, {
      name: "VIP",
      source: "generated",
      pattern: "VIP-XXXXXX",
      quantity: 50,
      perContactLimit: 2,
      value: { kind: "percent", percent: 15 },
      validUntil: new Date(Date.now() + day),
    });
    const first = await issueCoupon(database.db, workspace.id, { campaignId: campaign.id, contactId: ann.id, issueKey: "k1" });
    expect(first.code.code).toMatch(new RegExp(`^VIP-[${codeAlphabet}]{6}$`));
    expect((await issueCoupon(database.db, workspace.id, { campaignId: campaign.id, contactId: ann.id, issueKey: "k1" })).code.code).toBe(first.code.code);
    await issueCoupon(database.db, workspace.id, { campaignId: campaign.id, contactId: ann.id });
    expect(await refusal(issueCoupon(database.db, workspace.id, { campaignId: campaign.id, contactId: ann.id }))).toBe("limit_reached");
    expect((await contactCoupons(database.db, workspace.id, ann.id)).map((row) => row.campaign.name)).toEqual(["VIP", "VIP"]);

    expect(await refusal(redeemCoupon(database.db, workspace.id, { code: first.code.code, contactId: bob.id }))).toBe("conflict");
    expect(await refusal(redeemCoupon(database.db, workspace.id, { code: first.code.code, now: new Date(Date.now() + 2 * day) }))).toBe("coupon_expired");
    const [unissued] = await queryRows<{ code: string }>(database.db, sql`select code from coupon_codes where workspace_id = ${workspace.id} and status = 'available' limit 1`);
    expect(await refusal(redeemCoupon(database.db, workspace.id, { code: unissued.code }))).toBe("coupon_not_issued");
    expect(await refusal(issueCoupon(database.db, workspace.id, { campaignId: campaign.id, contactId: bob.id, now: new Date(Date.now() + 2 * day) }))).toBe("coupon_expired");
  });

  it("rewards 3 purchases in 30 days once per window, even with 50 purchases processed at once", async () => {
    const { workspace } = await setup(0);
    const monitor = await createMonitor(database.db, workspace.id, monitorInput.parse({ ...monitorExamples.repeat_buyer }));
    await setMonitorStatus(database.db, workspace.id, monitor.id, "activate");
    await track(workspace.id, [{ type: "identify", userId: "buyer", traits: { email: "buyer@example.test" } }]);
    // 50 purchases stored at once, then processed by parallel jobs (the API may take them on many servers).
    await Promise.all(
      Array.from({ length: 50 }, (_, index) => ingestCalls(database.db, workspace.id, [call({ type: "track", userId: "buyer", event: "Order Completed", properties: { revenue: 10 + index } })])),
    );
    await Promise.all(Array.from({ length: 4 }, (_, lane) => eventProcess.handle({ workspaceId: workspace.id }, { database, db: database.db, jobId: `lane-${lane}`, attempt: 0 })));
    const matches = await database.db.select().from(monitorMatches).where(eq(monitorMatches.workspaceId, workspace.id));
    expect(matches).toHaveLength(1);
    const awards = await database.db.select().from(pointTransactions).where(eq(pointTransactions.workspaceId, workspace.id));
    expect(awards.map((row) => `${row.source}:${row.amount}`)).toEqual(["monitor:500"]);
    const [buyer] = await database.db.select().from(contacts).where(eq(contacts.workspaceId, workspace.id));
    expect(buyer.pointsBalance).toBe(500);
  });

  it("merges an anonymous visitor's points, coupons and monitor counts into the known contact when they identify", async () => {
    const { workspace } = await setup(0);
    await track(workspace.id, [{ type: "identify", userId: "u0", traits: { email: "known@example.test" } }]);
    const [known] = await database.db.select().from(contacts).where(eq(contacts.workspaceId, workspace.id));
    const monitor = await createMonitor(database.db, workspace.id, monitorInput.parse({ ...monitorExamples.repeat_buyer }));
    await setMonitorStatus(database.db, workspace.id, monitor.id, "activate");
    const order = (who: Record<string, string>) => ({ type: "track", ...who, event: "Order Completed", properties: { revenue: 20 } });
    await track(workspace.id, [order({ anonymousId: "anon-7" }), order({ anonymousId: "anon-7" })]);
    const [visitor] = await database.db.select().from(contacts).where(and(eq(contacts.workspaceId, workspace.id), sql`${contacts.id} <> ${known.id}`));
    await awardPoints(database.db, workspace.id, { contactId: visitor.id, points: 100, source: "api", idempotencyKey: "visitor" });
    await awardPoints(database.db, workspace.id, { contactId: known.id, points: 50, source: "api", idempotencyKey: "known" });
    const campaign = await createCampaign(database.db, workspace.id, { name: "Welcome", source: "generated", pattern: "HI-XXXXXX", quantity: 10, value: { kind: "percent", percent: 10 } });
    const { code: coupon } = await issueCoupon(database.db, workspace.id, { campaignId: campaign.id, contactId: visitor.id, issueKey: "welcome" });

    await track(workspace.id, [{ type: "identify", userId: "u0", anonymousId: "anon-7" }]);
    // Two orders as a visitor and one as a customer: the third purchase in 30 days.
    await track(workspace.id, [order({ userId: "u0" })]);

    const remaining = await database.db.select().from(contacts).where(eq(contacts.workspaceId, workspace.id));
    expect(remaining.map((row) => row.id)).toEqual([known.id]);
    const points = await contactPoints(database.db, workspace.id, known.id);
    expect(points.balance).toBe(650);
    expect(await ledgerSum(workspace.id, known.id)).toBe(650);
    expect(remaining[0].pointsBalance).toBe(650);
    expect((await contactCoupons(database.db, workspace.id, known.id)).map((row) => row.code.code)).toEqual([coupon.code]);
    const leftBehind = await queryRows<{ n: number }>(
      database.db,
      sql`select (select count(*) from point_transactions where workspace_id = ${workspace.id} and contact_id = ${visitor.id})
               + (select count(*) from point_balances where workspace_id = ${workspace.id} and contact_id = ${visitor.id})
               + (select count(*) from monitor_counters where workspace_id = ${workspace.id} and contact_id = ${visitor.id})::int as n`,
    );
    expect(Number(leftBehind[0].n)).toBe(0);
  });

  it("gives a monitor's points the workspace's default expiry unless the monitor sets its own", async () => {
    const { workspace } = await setup(0);
    await saveRewardSettings(database.db, workspace.id, { defaultExpiryDays: 365 });
    const yearly = await createMonitor(database.db, workspace.id, monitorInput.parse({ ...monitorExamples.repeat_buyer, threshold: 1 }));
    const weekly = await createMonitor(
      database.db,
      workspace.id,
      monitorInput.parse({ ...monitorExamples.repeat_buyer, name: "Any order, points for 400 days", threshold: 1, actions: [{ type: "points", amount: 20, expiresInDays: 400 }] }),
    );
    for (const monitor of [yearly, weekly]) await setMonitorStatus(database.db, workspace.id, monitor.id, "activate");
    const before = Date.now();
    await track(workspace.id, [{ type: "track", userId: "buyer", event: "Order Completed", properties: { revenue: 30 } }]);
    const awards = await database.db.select().from(pointTransactions).where(eq(pointTransactions.workspaceId, workspace.id));
    const daysLeft = Object.fromEntries(awards.map((row) => [row.amount, Math.round((row.expiresAt!.getTime() - before) / day)]));
    expect(daysLeft).toEqual({ 500: 365, 20: 400 });
  });

  it("gives a coupon for a first purchase over 100 in a message, tags a 7-day login streak, and replays a contact's history", async () => {
    const { workspace } = await setup(0);
    const campaign = await createCampaign(database.db, workspace.id, { name: "Welcome", source: "generated", pattern: "HELLO-XXXXX", quantity: 20, value: { kind: "amount", amount: 20, currency: "CNY" } });
    const { template } = await createTemplate(
      database.db,
      workspace.id,
      templateCreateSchema.parse({ name: "Coupon", channel: "email", kind: "transactional", format: "code", subject: "Your code {{ coupon.code }}", from_email: "shop@example.test", content: { component: "transactional", props: {} } }),
    );
    const bigOrder = await createMonitor(
      database.db,
      workspace.id,
      monitorInput.parse({ ...monitorExamples.first_big_order, actions: [{ type: "coupon", campaignId: campaign.id }, { type: "message", templateId: template.id }, { type: "event" }] }),
    );
    const streak = await createMonitor(database.db, workspace.id, monitorInput.parse({ ...monitorExamples.login_streak }));
    for (const monitor of [bigOrder, streak]) await setMonitorStatus(database.db, workspace.id, monitor.id, "activate");

    await track(workspace.id, [
      { type: "identify", userId: "cy", traits: { email: "cy@example.test" } },
      { type: "track", userId: "cy", event: "Order Completed", properties: { revenue: 80 } },
      { type: "track", userId: "cy", event: "Order Completed", properties: { revenue: 120 } },
      { type: "track", userId: "cy", event: "Order Completed", properties: { revenue: 300 } },
    ]);
    const [cy] = await database.db.select().from(contacts).where(eq(contacts.workspaceId, workspace.id));
    const coupons = await contactCoupons(database.db, workspace.id, cy.id);
    expect(coupons).toHaveLength(1);
    const [message] = await database.db.select().from(messages).where(and(eq(messages.workspaceId, workspace.id), eq(messages.source, "monitor")));
    await deliverMessage(database.db, workspace.id, message.id, { finalAttempt: true });
    const [sent] = await database.db.select().from(messages).where(and(eq(messages.workspaceId, workspace.id), eq(messages.id, message.id)));
    expect(sent).toMatchObject({ status: "sent", subject: `Your code ${coupons[0].code.code}` });
    const emitted = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events where workspace_id = ${workspace.id} and name = 'monitor.matched'`);
    expect(emitted[0].n).toBe(1);

    // Six days of sign-ins are not a streak; the seventh is.
    const base = Date.UTC(2026, 10, 2, 9);
    const signIn = (offset: number) => ({ type: "track", userId: "cy", event: "Signed In", timestamp: new Date(base + offset * day).toISOString() });
    await track(workspace.id, [0, 1, 1, 2, 3, 4, 5].map(signIn));
    expect((await database.db.select().from(contacts).where(eq(contacts.id, cy.id)))[0].tags).toEqual([]);
    await track(workspace.id, [signIn(6)]);
    expect((await database.db.select().from(contacts).where(eq(contacts.id, cy.id)))[0].tags).toEqual(["streak-7"]);

    // Before activating a change, a marketer replays it: with a threshold of 3 days, days 0-2 and 3-5 fire.
    const replay = await testMonitor(database.db, workspace.id, monitorInput.parse({ ...monitorExamples.login_streak, threshold: 3, limit: { kind: "at_most", count: 5 } }), cy.id);
    expect(replay.events).toBe(8);
    expect(replay.matches.map((match) => new Date(match.at).getTime())).toEqual([base + 2 * day, base + 5 * day]);
  });
});

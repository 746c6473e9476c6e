import { describe, expect, it } from "vitest";
import { parseGenericFeedback, parseSesNotification, tidelineMessageId } from "./feedback";

describe("matching a notification to a message", () => {
  it("reads our id from the Message-ID the SMTP adapter sets, or a bare id", () => {
    const id = "6f0c3b8e-8d3a-4f53-9a44-1d2f0a7c9b10";
    expect(tidelineMessageId(`<${id}@tideline>`)).toBe(id);
    expect(tidelineMessageId(` ${id.toUpperCase()} `)).toBe(id);
    expect(tidelineMessageId("<0100018f1234@email.amazonses.com>")).toBeUndefined();
    expect(tidelineMessageId(undefined)).toBeUndefined();
  });
});

describe("generic notifications", () => {
  it("treats a bounce without bounce_type as hard, and keys the same payload the same way", () => {
    const [first] = parseGenericFeedback({ type: "bounce", email: " Ann@Example.com " }).notices;
    const [again] = parseGenericFeedback({ type: "bounce", email: "ann@example.com" }).notices;
    expect(first).toMatchObject({ type: "bounce", email: "ann@example.com", bounceType: "hard" });
    expect(first.key).toBe(again.key);
    const [other] = parseGenericFeedback({ type: "bounce", email: "ann@example.com", reason: "later" }).notices;
    expect(other.key).not.toBe(first.key);
    const [named] = parseGenericFeedback({ type: "complaint", email: "ann@example.com", id: "fbl-1" }).notices;
    expect(named.key).toBe("generic:fbl-1:ann@example.com");
  });
});

describe("SES notifications", () => {
  it("makes one notice per bounced recipient, soft for transient bounces, keyed by the feedback id", () => {
    const parsed = parseSesNotification({
      notificationType: "Bounce",
      bounce: {
        bounceType: "Transient",
        bounceSubType: "MailboxFull",
        feedbackId: "fb-1",
        bouncedRecipients: [{ emailAddress: "A@example.com", diagnosticCode: "452 full" }, { emailAddress: "b@example.com" }],
      },
      mail: { messageId: "ses-1", commonHeaders: { messageId: "<x@tideline>" } },
    });
    expect(parsed.notices.map((notice) => [notice.email, notice.bounceType, notice.key])).toEqual([
      ["a@example.com", "soft", "ses:fb-1:a@example.com"],
      ["b@example.com", "soft", "ses:fb-1:b@example.com"],
    ]);
    expect(parsed.notices[0]).toMatchObject({ messageId: "<x@tideline>", providerMessageId: "ses-1", reason: "Transient/MailboxFull: 452 full" });
  });

  it("reads the event-publishing format (eventType) too", () => {
    const parsed = parseSesNotification({ eventType: "Complaint", complaint: { complainedRecipients: [{ emailAddress: "c@example.com" }], feedbackId: "fb-2" }, mail: {} });
    expect(parsed.notices).toMatchObject([{ type: "complaint", email: "c@example.com", key: "ses:fb-2:c@example.com" }]);
  });
});

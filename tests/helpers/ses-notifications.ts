import { randomUUID } from "node:crypto";

// Amazon SES notifications shaped as AWS documents them ("Amazon SNS notification contents for
// Amazon SES"), for mail Tideline sent with the Message-ID `<messageId@tideline>`.

function mail(messageId: string, email: string) {
  const sesId = `0100018f${randomUUID().replaceAll("-", "")}-000000`;
  return {
    timestamp: "2026-03-02T08:00:00.000Z",
    source: "news@shop.example",
    sourceArn: "arn:aws:ses:us-west-2:123456789012:identity/shop.example",
    sendingAccountId: "123456789012",
    messageId: sesId,
    destination: [email],
    headersTruncated: false,
    headers: [
      { name: "From", value: "Shop <news@shop.example>" },
      { name: "To", value: email },
      { name: "Subject", value: "Spring sale" },
      { name: "Message-ID", value: `<${messageId}@tideline>` },
    ],
    commonHeaders: { from: ["Shop <news@shop.example>"], to: [email], messageId: `<${messageId}@tideline>`, subject: "Spring sale" },
  };
}

export function sesBounce(input: { messageId: string; email: string; bounceType: "Permanent" | "Transient" }) {
  return {
    notificationType: "Bounce",
    bounce: {
      bounceType: input.bounceType,
      bounceSubType: input.bounceType === "Permanent" ? "General" : "MailboxFull",
      bouncedRecipients: [
        {
          emailAddress: input.email,
          action: "failed",
          status: input.bounceType === "Permanent" ? "5.1.1" : "4.2.2",
          diagnosticCode: input.bounceType === "Permanent" ? "smtp; 550 5.1.1 user unknown" : "smtp; 452 4.2.2 mailbox full",
        },
      ],
      timestamp: "2026-03-02T08:00:05.000Z",
      feedbackId: `0100018f-${randomUUID()}-000000`,
      remoteMtaIp: "203.0.113.25",
      reportingMTA: "dsn; a8-70.smtp-out.amazonses.com",
    },
    mail: mail(input.messageId, input.email),
  };
}

export function sesComplaint(input: { messageId: string; email: string }) {
  return {
    notificationType: "Complaint",
    complaint: {
      userAgent: "ExampleCorp Feedback Loop (V0.01)",
      complainedRecipients: [{ emailAddress: input.email }],
      complaintFeedbackType: "abuse",
      arrivalDate: "2026-03-02T09:00:00.000Z",
      timestamp: "2026-03-02T09:00:01.000Z",
      feedbackId: `0100018f-${randomUUID()}-000000`,
    },
    mail: mail(input.messageId, input.email),
  };
}

export function sesDelivery(input: { messageId: string; email: string }) {
  return {
    notificationType: "Delivery",
    delivery: {
      timestamp: "2026-03-02T08:00:03.000Z",
      processingTimeMillis: 546,
      recipients: [input.email],
      smtpResponse: "250 ok:  Message 64111812 accepted",
      reportingMTA: "a8-70.smtp-out.amazonses.com",
      remoteMtaIp: "203.0.113.25",
    },
    mail: mail(input.messageId, input.email),
  };
}

/** How SNS delivers an SES notification to an HTTPS subscription (raw message delivery off). */
export function snsNotification(message: object) {
  return {
    Type: "Notification",
    MessageId: randomUUID(),
    TopicArn: "arn:aws:sns:us-west-2:123456789012:ses-feedback",
    Message: JSON.stringify(message),
    Timestamp: "2026-03-02T08:00:06.000Z",
    SignatureVersion: "1",
    Signature: "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=",
    SigningCertURL: "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem",
    UnsubscribeURL: "https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:ses-feedback:1",
  };
}

"use server";

import { createPrivateKey, randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import type { Channel, FrequencyCap } from "@/db/schema";
import { workspaceAction } from "@/lib/auth/action";
import { smtpAdapter } from "@/lib/channels/smtp";
import { AppError } from "@/lib/errors";
import { createSender, defaultSender, deleteSender, makeDefaultSender, updateSender } from "@/lib/messages/senders";
import { loadMessagingSettings, messagingSettingsView, saveMessagingSettings } from "@/lib/messages/settings";
import {
  cappedChannels,
  deliverySettingsSchema,
  dkimSettingsSchema,
  postalAddressSchema,
  senderIdSchema,
  senderSchema,
  smtpSettingsSchema,
  smtpTestSchema,
  trackingSettingsSchema,
} from "@/lib/validation/messaging";

const page = (slug: string) => `/w/${slug}/settings/messaging`;

export const saveSmtpAction = workspaceAction("admin", smtpSettingsSchema, async (input, { db, workspace }) => {
  await saveMessagingSettings(db, workspace.id, { smtpUrl: input.intent === "clear" ? null : input.smtpUrl });
  revalidatePath(page(workspace.slug));
  return { message: input.intent };
});

export const saveDkimAction = workspaceAction("admin", dkimSettingsSchema, async (input, { db, workspace }) => {
  if (input.intent === "clear") {
    await saveMessagingSettings(db, workspace.id, { dkim: null });
  } else {
    if (input.privateKey) {
      try {
        createPrivateKey(input.privateKey);
      } catch {
        throw new AppError("validation_failed", "The DKIM private key could not be read.", [{ path: "privateKey", message: "dkim_key_invalid" }]);
      }
    } else if (!(await messagingSettingsView(db, workspace.id)).dkimKeySet) {
      throw new AppError("validation_failed", "Paste the DKIM private key.", [{ path: "privateKey", message: "dkim_key_required" }]);
    }
    await saveMessagingSettings(db, workspace.id, {
      dkim: { domain: input.domain, selector: input.selector, privateKey: input.privateKey },
    });
  }
  revalidatePath(page(workspace.slug));
  return { message: input.intent };
});

export const savePostalAddressAction = workspaceAction("admin", postalAddressSchema, async (input, { db, workspace }) => {
  await saveMessagingSettings(db, workspace.id, { postalAddress: input.postalAddress ?? null });
  revalidatePath(page(workspace.slug));
});

export const saveDeliveryAction = workspaceAction("admin", deliverySettingsSchema, async (input, { db, workspace }) => {
  const values = input as Record<string, unknown>;
  // Channels this form does not show keep the cap they have.
  const frequencyCaps: Partial<Record<Channel, FrequencyCap>> = { ...(await messagingSettingsView(db, workspace.id)).frequencyCaps };
  for (const channel of cappedChannels) {
    delete frequencyCaps[channel];
    const count = values[`capCount_${channel}`];
    const hours = values[`capHours_${channel}`];
    if (typeof count === "number" && typeof hours === "number") frequencyCaps[channel] = { count, hours };
  }
  await saveMessagingSettings(db, workspace.id, {
    frequencyCaps,
    quietHours: input.quietEnabled && input.quietStart && input.quietEnd ? { start: input.quietStart, end: input.quietEnd } : null,
  });
  revalidatePath(page(workspace.slug));
});

export const saveTrackingAction = workspaceAction("admin", trackingSettingsSchema, async (input, { db, workspace }) => {
  const utm = { source: input.utmSource, medium: input.utmMedium, campaign: input.utmCampaign };
  const anyUtm = Object.values(utm).some(Boolean);
  await saveMessagingSettings(db, workspace.id, {
    trackOpens: input.trackOpens,
    trackClicks: input.trackClicks,
    utm: anyUtm ? JSON.parse(JSON.stringify(utm)) : null,
  });
  revalidatePath(page(workspace.slug));
});

export const saveSenderAction = workspaceAction("admin", senderSchema, async (input, { db, workspace }) => {
  const fields = { name: input.name, email: input.email, replyTo: input.replyTo ?? null, isDefault: input.isDefault };
  if (input.id) await updateSender(db, workspace.id, input.id, fields);
  else await createSender(db, workspace.id, fields);
  revalidatePath(page(workspace.slug));
  return { message: input.id ? "updated" : "created" };
});

export const makeDefaultSenderAction = workspaceAction("admin", senderIdSchema, async (input, { db, workspace }) => {
  await makeDefaultSender(db, workspace.id, input.id);
  revalidatePath(page(workspace.slug));
});

export const deleteSenderAction = workspaceAction("admin", senderIdSchema, async (input, { db, workspace }) => {
  await deleteSender(db, workspace.id, input.id);
  revalidatePath(page(workspace.slug));
});

// A plain email through the SMTP server now in force (the workspace's or SMTP_URL), signed
// with its DKIM key, to the admin who asked: the quickest proof the settings work.
export const sendSmtpTestAction = workspaceAction<typeof smtpTestSchema, { sent: boolean; to: string; reason?: string }>("admin", smtpTestSchema, async (_input, { db, workspace, user }) => {
  const settings = await loadMessagingSettings(db, workspace.id);
  if (!settings.smtpUrl) {
    throw new AppError("validation_failed", "No SMTP server is configured: email goes to the Outbox.", [{ path: "smtpTest", message: "smtp_test_no_server" }]);
  }
  const sender = await defaultSender(db, workspace.id);
  const from = sender ? `"${sender.name.replaceAll('"', "")}" <${sender.email}>` : process.env.EMAIL_FROM;
  if (!from) throw new AppError("validation_failed", "Add a sender identity first.", [{ path: "smtpTest", message: "smtp_test_no_sender" }]);
  const result = await smtpAdapter({ smtpUrl: settings.smtpUrl, dkim: settings.dkim }).send({
    workspaceId: workspace.id,
    messageId: `test-${randomUUID()}`,
    channel: "email",
    to: user.email,
    from,
    subject: `Tideline test email from ${workspace.name}`,
    text: `This is a test from Settings → Sending in ${workspace.name}. If you can read it, the SMTP server works.`,
    html: `<p>This is a test from <strong>Settings → Sending</strong> in ${workspace.name.replace(/[<>&"]/g, "")}.</p><p>If you can read it, the SMTP server works.</p>`,
  });
  if (result.status === "sent") return { data: { sent: true, to: user.email } };
  return { data: { sent: false, to: user.email, reason: result.reason } };
});

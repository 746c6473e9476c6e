"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/auth/action";
import { localMomentIn } from "@/lib/broadcasts/schedule";
import { AppError } from "@/lib/errors";
import { createCampaign, uploadCodes } from "@/lib/rewards/coupons";
import { changePoints, saveRewardSettings } from "@/lib/rewards/points";
import type { CouponValue } from "@/db/schema";
import { adjustPointsFormSchema, campaignFormSchema, rewardSettingsFormSchema, uploadCodesFormSchema } from "./schemas";

function revalidateRewards(slug: string) {
  revalidatePath(`/w/${slug}/rewards`);
  revalidatePath(`/w/${slug}/rewards/coupons`);
}

export const saveRewardSettingsAction = workspaceAction("marketer", rewardSettingsFormSchema, async (input, { db, workspace }) => {
  await saveRewardSettings(db, workspace.id, { pointsName: input.pointsName, allowNegative: input.allowNegative === "on", defaultExpiryDays: input.defaultExpiryDays });
  revalidateRewards(workspace.slug);
});

// A person's change to a balance, with the reason in the ledger; the dialog's key makes a double submit count once.
export const adjustPointsAction = workspaceAction("marketer", adjustPointsFormSchema, async (input, { db, workspace, user }) => {
  try {
    const result = await changePoints(db, workspace.id, {
      contactId: input.contactId,
      amount: input.amount,
      source: "manual",
      reason: input.reason,
      // An award takes the workspace's default expiry (changePoints applies it).
      idempotencyKey: `manual:${input.key}`,
      createdBy: user.id,
    });
    revalidatePath(`/w/${workspace.slug}/contacts/${input.contactId}`);
    revalidateRewards(workspace.slug);
    return { data: { balance: result.balance } };
  } catch (error) {
    // Said next to the amount, where it can be fixed.
    if (error instanceof AppError && error.code === "insufficient_points") throw new AppError("insufficient_points", error.message, [{ path: "amount", message: "insufficient_points" }]);
    throw error;
  }
});

function valueOf(input: { valueKind: "amount" | "percent" | "text"; amount: string; currency: string; percent: string; text: string }): CouponValue {
  if (input.valueKind === "amount") return { kind: "amount", amount: Number(input.amount), currency: input.currency.toUpperCase() };
  if (input.valueKind === "percent") return { kind: "percent", percent: Number(input.percent) };
  return { kind: "text", text: input.text };
}

export const createCampaignAction = workspaceAction("marketer", campaignFormSchema, async (input, { db, workspace, user }) => {
  const campaign = await createCampaign(db, workspace.id, {
    name: input.name,
    description: input.description,
    source: input.source,
    pattern: input.source === "generated" ? input.pattern.toUpperCase() : null,
    quantity: input.source === "generated" ? Number(input.quantity) : undefined,
    value: valueOf(input),
    validFrom: input.validFrom ? localMomentIn(input.validFrom, workspace.timezone) : null,
    validUntil: input.validUntil ? localMomentIn(input.validUntil, workspace.timezone) : null,
    perContactLimit: input.perContactLimit,
    createdBy: user.id,
  });
  revalidateRewards(workspace.slug);
  return { data: { id: campaign.id } };
});

/** One piece of an uploaded pool (the form sends a large file in pieces, one after another). */
export const uploadCodesAction = workspaceAction("marketer", uploadCodesFormSchema, async (input, { db, workspace }) => {
  const result = await uploadCodes(db, workspace.id, input.id, input.codes);
  revalidatePath(`/w/${workspace.slug}/rewards/coupons/${input.id}`);
  revalidatePath(`/w/${workspace.slug}/rewards/coupons`);
  return { data: result };
});

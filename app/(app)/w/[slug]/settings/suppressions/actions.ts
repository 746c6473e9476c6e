"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { workspaceAction, type ActionState } from "@/lib/auth/action";
import { removeSuppression, suppressAddress } from "@/lib/messages/suppressions";
import { suppressionFormSchema, suppressionRemoveFormSchema } from "@/lib/validation/suppressions";

// The shared schema speaks English to API callers; the page shows the same refusals translated.
const fieldMessages: Record<string, string> = {
  "Give the address to suppress.": "fieldErrors.addressRequired",
  "Use at most 320 characters.": "fieldErrors.addressLong",
  "Not an email address.": "fieldErrors.emailInvalid",
  "Not a phone number.": "fieldErrors.phoneInvalid",
};

async function translated(state: ActionState): Promise<ActionState> {
  if (!state || state.ok || !state.fieldErrors) return state;
  const t = await getTranslations("topics");
  const fieldErrors = Object.fromEntries(
    Object.entries(state.fieldErrors).map(([field, message]) => [field, fieldMessages[message] ? t(fieldMessages[message] as "fieldErrors.addressRequired") : message]),
  );
  return { ...state, fieldErrors };
}

const addSuppression = workspaceAction("admin", suppressionFormSchema, async (input, { db, workspace, user }) => {
  await suppressAddress(db, { workspaceId: workspace.id, channel: input.channel, address: input.address, reason: input.reason, details: input.details || undefined, createdBy: user.id });
  revalidatePath(`/w/${workspace.slug}/settings/suppressions`);
});

export async function addSuppressionAction(previous: ActionState, formData: FormData): Promise<ActionState> {
  return translated(await addSuppression(previous, formData));
}

export const removeSuppressionAction = workspaceAction("admin", suppressionRemoveFormSchema, async (input, { db, workspace }) => {
  await removeSuppression(db, { workspaceId: workspace.id, channel: input.channel, address: input.address });
  revalidatePath(`/w/${workspace.slug}/settings/suppressions`);
});

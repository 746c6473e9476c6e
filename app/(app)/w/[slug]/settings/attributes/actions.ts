"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { workspaceAction, type ActionState } from "@/lib/auth/action";
import { declareAttribute, UncastableValuesError } from "@/lib/contacts/attribute-catalogue";
import { declareAttributeFormSchema } from "@/lib/validation/contacts";

interface Refusal {
  key: string;
  type: string;
  count: number;
  example: string;
}

// A refusal comes back as data so it can be told with its numbers (the wrapper would reduce
// an AppError to its code's generic text).
const declare = workspaceAction("admin", declareAttributeFormSchema, async (input, { db, workspace }) => {
  try {
    await declareAttribute(db, { workspaceId: workspace.id, key: input.key, type: input.type });
  } catch (error) {
    if (!(error instanceof UncastableValuesError)) throw error;
    const refusal: Refusal = { key: error.key, type: error.type, count: error.count, example: JSON.stringify(error.examples[0]) };
    return { data: { refusal } };
  }
  revalidatePath(`/w/${workspace.slug}/settings/attributes`);
});

export async function declareAttributeAction(previous: ActionState, formData: FormData): Promise<ActionState> {
  const state = await declare(previous as ActionState<{ refusal: Refusal }>, formData);
  const refusal = state?.ok ? state.data?.refusal : undefined;
  if (!refusal) return state;
  const t = await getTranslations("attributes");
  return {
    ok: false,
    error: t("refused", {
      count: refusal.count,
      key: refusal.key,
      type: t(`types.${refusal.type}` as "types.string"),
      example: refusal.example,
    }),
  };
}

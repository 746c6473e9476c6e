"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { workspaceAction, type ActionState } from "@/lib/auth/action";
import { createTopic, deleteTopic, updateTopic } from "@/lib/messages/topics";
import { topicFormSchema, topicIdFormSchema } from "@/lib/validation/topics";

// The shared schemas speak English to API callers; a page shows the same refusals translated.
const fieldMessages: Record<string, string> = {
  "Give the topic a name.": "fieldErrors.nameRequired",
  "Use at most 120 characters.": "fieldErrors.nameLong",
  "Use at most 500 characters.": "fieldErrors.descriptionLong",
  "A topic with this name already exists.": "fieldErrors.nameTaken",
};

async function translated<T>(state: ActionState<T>): Promise<ActionState<T>> {
  if (!state || state.ok || !state.fieldErrors) return state;
  const t = await getTranslations("topics");
  const fieldErrors = Object.fromEntries(
    Object.entries(state.fieldErrors).map(([field, message]) => [field, fieldMessages[message] ? t(fieldMessages[message] as "fieldErrors.nameRequired") : message]),
  );
  return { ...state, fieldErrors };
}

const saveTopic = workspaceAction("admin", topicFormSchema, async (input, { db, workspace }) => {
  const values = { name: input.name, description: input.description, default_subscribed: input.defaultSubscribed };
  if (input.id) await updateTopic(db, workspace.id, input.id, values);
  else await createTopic(db, workspace.id, values);
  revalidatePath(`/w/${workspace.slug}/settings/topics`);
});

export async function saveTopicAction(previous: ActionState, formData: FormData): Promise<ActionState> {
  return translated(await saveTopic(previous, formData));
}

export const deleteTopicAction = workspaceAction("admin", topicIdFormSchema, async (input, { db, workspace }) => {
  await deleteTopic(db, workspace.id, input.id);
  revalidatePath(`/w/${workspace.slug}/settings/topics`);
});

"use server";

import { revalidatePath } from "next/cache";
import { bulkTag, eraseContact, findContact } from "@/db/queries/contacts";
import type { Json } from "@/db/schema";
import { workspaceAction } from "@/lib/auth/action";
import { updateContact } from "@/lib/contacts/manage";
import { AppError } from "@/lib/errors";
import { bulkTagSchema, contactTagSchema, editContactSchema, eraseSchema } from "./schemas";

export type TagResult = { changed: number; mode: "add" | "remove"; tag: string };

export const bulkTagAction = workspaceAction("marketer", bulkTagSchema, async (input, { db, workspace }) => {
  const change = input.mode === "add" ? { add: [input.tag] } : { remove: [input.tag] };
  const changed = await bulkTag(db, { workspaceId: workspace.id, contactIds: input.ids, ...change });
  revalidatePath(`/w/${workspace.slug}/contacts`);
  return { data: { changed, mode: input.mode, tag: input.tag } satisfies TagResult };
});

export const contactTagAction = workspaceAction("marketer", contactTagSchema, async (input, { db, workspace }) => {
  const change = input.mode === "add" ? { add: [input.tag] } : { remove: [input.tag] };
  const changed = await bulkTag(db, { workspaceId: workspace.id, contactIds: [input.id], ...change });
  if (changed === 0) throw new AppError("not_found", "No such contact.");
  revalidatePath(`/w/${workspace.slug}/contacts/${input.id}`);
  return { data: { changed, mode: input.mode, tag: input.tag } satisfies TagResult };
});

export const editContactAction = workspaceAction("marketer", editContactSchema, async (input, { db, workspace }) => {
  const attributes: Record<string, Json> = { ...Object.fromEntries(input.unset.map((key) => [key, null])), ...input.set };
  try {
    await updateContact(db, workspace.id, input.id, {
      first_name: input.fields.firstName,
      last_name: input.fields.lastName,
      email: input.fields.email,
      phone: input.fields.phone,
      attributes,
    });
  } catch (error) {
    throw onTheForm(error, input.keys);
  }
  revalidatePath(`/w/${workspace.slug}/contacts/${input.id}`);
});

// updateContact speaks the REST API's language; the form wants its own fields and message keys.
function onTheForm(error: unknown, keys: string[]): unknown {
  if (!(error instanceof AppError) || !error.details) return error;
  const field = (path: string, message: string) => new AppError(error.code, error.message, [{ path, message }]);
  const details = error.details as { field?: string } | Array<{ path?: string; expected?: string }>;
  if (!Array.isArray(details)) return details.field === "email" ? field("email", "email_taken") : error;
  const first = details[0];
  if (first?.path === "external_id") return field("email", "identifier_required");
  const key = first?.path?.startsWith("attributes.") ? first.path.slice("attributes.".length) : undefined;
  const row = key === undefined ? -1 : keys.indexOf(key);
  if (row >= 0) return field(`attributes.${row}.value`, `declared_${first.expected ?? "string"}`);
  return error;
}

// Erasing is for good: the form asks for the contact's email (or ERASE) and the server checks it again.
export const eraseContactAction = workspaceAction("admin", eraseSchema, async (input, { db, workspace }) => {
  const contact = await findContact(db, workspace.id, { id: input.id });
  if (!contact) throw new AppError("not_found", "No such contact.");
  const typed = input.confirmation.toLowerCase();
  if (typed !== "erase" && !(contact.email && typed === contact.email.toLowerCase())) {
    throw new AppError("bad_request", "Type the contact's email or ERASE to confirm.");
  }
  // No revalidatePath: it would re-render the erased profile as a 404 under the dialog; the
  // dialog navigates to the (always freshly rendered) list instead.
  await eraseContact(db, workspace.id, contact.id);
});

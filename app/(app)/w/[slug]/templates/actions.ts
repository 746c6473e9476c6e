"use server";

import { revalidatePath } from "next/cache";
import { findContact, listContacts } from "@/db/queries/contacts";
import { workspaceAction } from "@/lib/auth/action";
import { AppError } from "@/lib/errors";
import { personalise, sampleContext } from "@/lib/messages/render";
import { sendTestMessage } from "@/lib/messages/send";
import { loadMessagingSettings } from "@/lib/messages/settings";
import { archiveTemplate, createTemplate, getTemplateVersion, restoreVersion, starterContent, starterSubjects, updateTemplate } from "@/lib/messages/templates";
import { templateCreateSchema, templatePatchSchema } from "@/lib/validation/templates";
import type { ContactOption, PreviewData, TestResult } from "@/components/templates/types";
import { contactSearchFormSchema, createTemplateFormSchema, saveTemplateFormSchema, templateIdFormSchema, templateVersionFormSchema } from "./schemas";


export const createTemplateAction = workspaceAction("marketer", createTemplateFormSchema, async (input, { db, workspace, user }) => {
  const format = input.channel === "email" ? (input.format === "text" ? "visual" : input.format) : "text";
  const component = input.component ?? "welcome";
  const body = templateCreateSchema.parse({
    name: input.name,
    channel: input.channel,
    format,
    kind: component === "transactional" && format === "code" ? "transactional" : input.kind,
    subject: input.channel === "email" ? starterSubjects[format === "code" ? component : "visual"] : undefined,
    content: starterContent(input.channel, format, component),
  });
  const { template } = await createTemplate(db, workspace.id, body, user.id);
  revalidatePath(`/w/${workspace.slug}/templates`);
  return { data: { id: template.id } };
});

// Every save is a new version; the page then shows it.
export const saveTemplateAction = workspaceAction("marketer", saveTemplateFormSchema, async (input, { db, workspace, user }) => {
  const patch = templatePatchSchema.parse({
    name: input.name,
    kind: input.kind,
    topic_id: input.topic_id,
    subject: input.subject ?? null,
    preheader: input.preheader ?? null,
    from_name: input.from_name ?? null,
    from_email: input.from_email ?? null,
    reply_to: input.reply_to ?? null,
    content: input.content,
  });
  const { template } = await updateTemplate(db, workspace.id, input.id, patch, user.id);
  revalidatePath(`/w/${workspace.slug}/templates/${template.id}`);
  return { data: { id: template.id, version: template.currentVersion } };
});

export const restoreVersionAction = workspaceAction("marketer", templateVersionFormSchema, async (input, { db, workspace, user }) => {
  if (!input.version) throw new AppError("bad_request", "Name the version to restore.");
  const { template } = await restoreVersion(db, workspace.id, input.id, input.version, user.id);
  revalidatePath(`/w/${workspace.slug}/templates/${template.id}`);
  return { data: { id: template.id, version: template.currentVersion } };
});

export const archiveTemplateAction = workspaceAction("marketer", templateIdFormSchema, async (input, { db, workspace }) => {
  await archiveTemplate(db, workspace.id, input.id);
  revalidatePath(`/w/${workspace.slug}/templates`);
});

export const previewTemplateAction = workspaceAction("viewer", templateVersionFormSchema, async (input, { db, workspace }) => {
  const found = await getTemplateVersion(db, workspace.id, input.id, input.version);
  if (!found) throw new AppError("not_found", "No such template.");
  const contact = input.contactId ? await findContact(db, workspace.id, { id: input.contactId }) : undefined;
  if (input.contactId && !contact) throw new AppError("not_found", "No such contact.");
  const settings = await loadMessagingSettings(db, workspace.id);
  const rendered = await personalise(found.version, sampleContext({ name: workspace.name, postal_address: settings.postalAddress ?? null }, contact));
  const from = rendered.fromEmail ? (rendered.fromName ? `${rendered.fromName} <${rendered.fromEmail}>` : rendered.fromEmail) : rendered.fromName;
  const data: PreviewData = { subject: rendered.subject, preheader: rendered.preheader, from, html: rendered.html, text: rendered.text, url: rendered.url, contact: contact ? (contact.email ?? contact.externalId ?? contact.id) : null };
  return { data };
});

export const searchContactsAction = workspaceAction("viewer", contactSearchFormSchema, async (input, { db, workspace }) => {
  const { contacts } = await listContacts(db, { workspaceId: workspace.id, search: input.q || undefined, limit: 8 });
  const options: ContactOption[] = contacts.map((contact) => ({
    id: contact.id,
    label: [contact.firstName, contact.lastName].filter(Boolean).join(" ") || contact.email || contact.externalId || contact.id,
    email: contact.email,
  }));
  return { data: options };
});

// "Send test to me": to the signed-in member's own address, rendered for the chosen contact.
export const sendTestAction = workspaceAction("marketer", templateVersionFormSchema, async (input, { db, workspace, user }) => {
  const { message } = await sendTestMessage(db, { workspaceId: workspace.id, templateId: input.id, version: input.version, contactId: input.contactId, to: user.email, userId: user.id });
  const data: TestResult = { status: message.status, reason: message.statusReason, to: user.email, messageId: message.id };
  return { data };
});

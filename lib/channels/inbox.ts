import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { contacts, inboxItems } from "@/db/schema";
import { currentContactId } from "@/lib/contacts/identity";
import type { ChannelAdapter, OutgoingMessage } from "./types";
import { isUuid } from "@/lib/uuid";


// Apps put the url in an href: a script URL there (Liquid can bring in contact or event data)
// would run in the app's page, so those schemes are dropped. Deep links (myapp://…) are kept.
const scriptSchemes = /^\s*(javascript|vbscript|data):/i;

/** The link of an inbox item: the message data's `url` (the rendered template's url lands there). */
export function inboxItemUrl(message: Pick<OutgoingMessage, "data">): string | null {
  const url = message.data?.url;
  if (typeof url !== "string" || !url.trim()) return null;
  // Control characters and whitespace inside a scheme ("java\tscript:") are ignored by browsers.
  const compact = url.replace(/[\u0000-\u001f\u007f\s]/g, "");
  return scriptSchemes.test(compact) ? null : url.trim();
}

// The in-app inbox (站内信): "sending" is storing the item the app reads through /api/v1/inbox.
// One item per message (unique on workspace + message), so a retried send stores it once.
export function inboxAdapter(db: Db): ChannelAdapter {
  return {
    name: "inbox",
    async send(message) {
      const addressed = message.contactId || message.to;
      if (!addressed || !isUuid(addressed)) return { status: "skipped", reason: "no contact to deliver the inbox message to" };
      try {
        // A contact merged since the message was queued: the item goes to the survivor.
        const contactId = await currentContactId(db, message.workspaceId, addressed);
        const [contact] = await db
          .select({ id: contacts.id })
          .from(contacts)
          .where(and(eq(contacts.workspaceId, message.workspaceId), eq(contacts.id, contactId)));
        if (!contact) return { status: "permanent", reason: `contact ${addressed} does not exist` };
        const [stored] = await db
          .insert(inboxItems)
          .values({
            workspaceId: message.workspaceId,
            contactId,
            messageId: message.messageId,
            title: message.subject ?? "",
            body: message.text ?? "",
            url: inboxItemUrl(message),
          })
          .onConflictDoNothing({ target: [inboxItems.workspaceId, inboxItems.messageId] })
          .returning({ id: inboxItems.id });
        const item =
          stored ??
          (
            await db
              .select({ id: inboxItems.id })
              .from(inboxItems)
              .where(and(eq(inboxItems.workspaceId, message.workspaceId), eq(inboxItems.messageId, message.messageId)))
          )[0];
        return { status: "sent", providerMessageId: item?.id, details: { inbox_item_id: item?.id ?? null, stored: Boolean(stored) } };
      } catch (error) {
        return { status: "retryable", reason: `could not store the inbox item: ${(error as Error).message}` };
      }
    },
  };
}

import { unreadInboxCount } from "@/lib/messages/inbox";
import { inboxPreflight, withInboxUser } from "@/lib/messages/inbox-route";

// GET /api/v1/inbox/unread-count: how many of the user's items are unread (for a badge)
export const GET = withInboxUser(async (_request, { db, workspace, contactId }) => ({
  unread_count: await unreadInboxCount(db, workspace.id, contactId),
}));

export const OPTIONS = inboxPreflight;

import { inboxItemJson, markInboxItem, unreadInboxCount } from "@/lib/messages/inbox";
import { inboxPreflight, withInboxUser } from "@/lib/messages/inbox-route";

// POST /api/v1/inbox/:id/unread: mark one of the user's items unread again
export const POST = withInboxUser(async (_request, { db, workspace, contactId, params }) => {
  const item = await markInboxItem(db, { workspaceId: workspace.id, contactId, itemId: String(params.id), read: false });
  return { ...inboxItemJson(item), unread_count: await unreadInboxCount(db, workspace.id, contactId) };
});

export const OPTIONS = inboxPreflight;

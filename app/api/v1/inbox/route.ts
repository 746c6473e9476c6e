import { inboxItemJson, listInboxItems, unreadInboxCount } from "@/lib/messages/inbox";
import { inboxPreflight, withInboxUser } from "@/lib/messages/inbox-route";
import { inboxListQuerySchema } from "@/lib/validation/inbox";

// GET /api/v1/inbox: the user's inbox items, newest first (write key + user token)
export const GET = withInboxUser(async (request, { db, workspace, contactId }) => {
  const query = inboxListQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  const page = await listInboxItems(db, { workspaceId: workspace.id, contactId, limit: query.limit, cursor: query.cursor, unreadOnly: query.unread_only });
  return {
    data: page.items.map(inboxItemJson),
    next_cursor: page.nextCursor,
    unread_count: await unreadInboxCount(db, workspace.id, contactId),
  };
});

export const OPTIONS = inboxPreflight;

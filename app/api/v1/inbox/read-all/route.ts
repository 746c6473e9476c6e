import { markAllInboxRead } from "@/lib/messages/inbox";
import { inboxPreflight, withInboxUser } from "@/lib/messages/inbox-route";

// POST /api/v1/inbox/read-all: mark every unread item of the user read
export const POST = withInboxUser(async (_request, { db, workspace, contactId }) => ({
  marked: await markAllInboxRead(db, { workspaceId: workspace.id, contactId }),
  unread_count: 0,
}));

export const OPTIONS = inboxPreflight;

import type { NextRequest } from "next/server";
import { getDb, type Db } from "@/db/client";
import { authenticateApiKey, touchApiKey } from "@/db/queries/api-keys";
import type { Workspace } from "@/db/schema";
import { writeKeyFrom } from "@/lib/api/handler";
import { currentContactId } from "@/lib/contacts/identity";
import { errorResponse } from "@/lib/api/errors";
import { corsHeaders } from "@/lib/tracking/route";
import { AppError } from "@/lib/errors";
import { checkInboxToken } from "./inbox";

// The inbox API is called from the app's front-end, like the tracking API: the public write
// key (Basic auth user, or ?writeKey= since GETs have no body) says which workspace, and the
// user token its server issued says which contact. Browsers call it from other origins.

export const userTokenHeader = "x-tideline-user-token";

const inboxCorsHeaders = {
  ...corsHeaders,
  "access-control-allow-headers": `${corsHeaders["access-control-allow-headers"]}, ${userTokenHeader}`,
};

function withCors(response: Response): Response {
  for (const [name, value] of Object.entries(inboxCorsHeaders)) response.headers.set(name, value);
  return response;
}

export function inboxPreflight(): Response {
  return new Response(null, { status: 204, headers: inboxCorsHeaders });
}

export interface InboxUserContext {
  db: Db;
  workspace: Workspace;
  contactId: string;
  params: Record<string, string | string[]>;
}

type Route = { params: Promise<Record<string, string | string[]>> };

export function withInboxUser(handler: (request: NextRequest, context: InboxUserContext) => Promise<object>) {
  return async (request: NextRequest, route: Route) => {
    try {
      const writeKey = writeKeyFrom(request, undefined) ?? request.nextUrl.searchParams.get("writeKey");
      if (!writeKey) throw new AppError("unauthorized", "Send the write key as the Basic auth user or as ?writeKey=.", { reason: "no_write_key" });
      const db = await getDb();
      const found = await authenticateApiKey(db, { token: writeKey, kind: "write" });
      if (!found) throw new AppError("unauthorized", "Unknown write key.", { reason: "unknown_write_key" });
      if (found.key.revokedAt) throw new AppError("unauthorized", "This write key was revoked.", { reason: "revoked_write_key" });
      await touchApiKey(db, found.key);
      const token = request.headers.get(userTokenHeader) ?? request.nextUrl.searchParams.get("token");
      const check = await checkInboxToken(db, found.workspace.id, token);
      if (!check.ok) throw new AppError("unauthorized", check.message, { reason: check.reason });
      // A token issued before its contact was merged into another opens the survivor's inbox.
      const contactId = await currentContactId(db, found.workspace.id, check.contactId);
      const result = await handler(request, { db, workspace: found.workspace, contactId, params: await route.params });
      return withCors(Response.json(result));
    } catch (error) {
      return withCors(errorResponse(error));
    }
  };
}

import { z } from "zod";
import { channels } from "@/db/schema";
import { withSecretKey } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { removeSuppression } from "@/lib/messages/suppressions";

// DELETE /api/v1/suppressions/:channel/:address: take an address off the list (URL-encode the address)
export const DELETE = withSecretKey(async (_request, { db, workspace, params }) => {
  const channel = z.enum(channels).safeParse(params.channel);
  if (!channel.success) throw new AppError("bad_request", `Channel must be one of ${channels.join(", ")}.`);
  const raw = String(params.address);
  let address = raw;
  try {
    address = decodeURIComponent(raw);
  } catch {
    // already decoded
  }
  const removed = await removeSuppression(db, { workspaceId: workspace.id, channel: channel.data, address });
  if (!removed) throw new AppError("not_found", "That address is not on the suppression list.");
  return { success: true };
});

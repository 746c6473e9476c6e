import { lt, or } from "drizzle-orm";
import { z } from "zod";
import { invites } from "../db/schema";
import { defineJob } from "./define-job";

const keepDays = 30;

// Invite links that expired, were used or revoked a month ago are of no further use.
export const inviteCleanup = defineJob({
  name: "invite.cleanup",
  schema: z.object({}).passthrough(),
  options: { cron: "17 3 * * *", retryLimit: 2 },
  async handle(_data, { db }) {
    const cutoff = new Date(Date.now() - keepDays * 86_400_000);
    const removed = await db
      .delete(invites)
      .where(or(lt(invites.expiresAt, cutoff), lt(invites.acceptedAt, cutoff), lt(invites.revokedAt, cutoff)))
      .returning({ id: invites.id });
    return { removed: removed.length };
  },
});

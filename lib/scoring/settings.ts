import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { scoringSettings, users, type ScoringSettings, type ScoringThresholds } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { findMember } from "@/lib/tasks/manage";
import type { ScoringSettingsPatch } from "./schema";

export type Decay = ScoringSettings["decay"];
export type Recalculation = NonNullable<ScoringSettings["recalculation"]>;

export interface ScoringConfig {
  decay: Decay;
  thresholds: ScoringThresholds;
  ownerId: string | null;
  owner: { id: string; email: string; name: string | null } | null;
  handoffWebhookUrl: string | null;
  recalculation: Recalculation | null;
  updatedAt: Date | null;
}

/** A workspace's scoring settings; a workspace that never saved any has no decay, no thresholds, no hand-off. */
export async function scoringSettingsOf(db: Db, workspaceId: string): Promise<ScoringConfig> {
  const [row] = await db
    .select({ settings: scoringSettings, ownerEmail: users.email, ownerName: users.name })
    .from(scoringSettings)
    .leftJoin(users, eq(users.id, scoringSettings.ownerId))
    .where(eq(scoringSettings.workspaceId, workspaceId));
  if (!row) return { decay: { kind: "none" }, thresholds: {}, ownerId: null, owner: null, handoffWebhookUrl: null, recalculation: null, updatedAt: null };
  const { settings } = row;
  return {
    decay: settings.decay,
    thresholds: settings.thresholds,
    ownerId: settings.ownerId,
    owner: settings.ownerId && row.ownerEmail ? { id: settings.ownerId, email: row.ownerEmail, name: row.ownerName } : null,
    handoffWebhookUrl: settings.handoffWebhookUrl,
    recalculation: settings.recalculation,
    updatedAt: settings.updatedAt,
  };
}

/** Saves what the patch names; the owner is a member by user id or sign-in email (a 422 when it names nobody here). */
export async function saveScoringSettings(db: Db, workspaceId: string, patch: ScoringSettingsPatch): Promise<ScoringConfig> {
  const set: Partial<typeof scoringSettings.$inferInsert> = {};
  if (patch.decay !== undefined) set.decay = patch.decay;
  if (patch.thresholds !== undefined) set.thresholds = patch.thresholds;
  if (patch.handoff_webhook_url !== undefined) set.handoffWebhookUrl = patch.handoff_webhook_url;
  if (patch.owner !== undefined) {
    if (patch.owner === null) set.ownerId = null;
    else {
      const member = await findMember(db, workspaceId, patch.owner);
      if (!member) throw new AppError("validation_failed", `${patch.owner} is not a member of this workspace.`, [{ path: "owner", message: "owner_not_member" }]);
      set.ownerId = member.id;
    }
  }
  await db
    .insert(scoringSettings)
    .values({ workspaceId, ...set })
    .onConflictDoUpdate({ target: scoringSettings.workspaceId, set: { ...set, updatedAt: new Date() } });
  return scoringSettingsOf(db, workspaceId);
}

/** Records a recalculation's progress (the Scoring page polls it). */
export async function saveRecalculation(db: Db, workspaceId: string, recalculation: Recalculation): Promise<void> {
  await db
    .insert(scoringSettings)
    .values({ workspaceId, recalculation })
    .onConflictDoUpdate({ target: scoringSettings.workspaceId, set: { recalculation } });
}

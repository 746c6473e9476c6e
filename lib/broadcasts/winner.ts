import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { broadcasts, type WinnerDecision } from "@/db/schema";
import { enqueue, getBoss } from "@/jobs/boss";
import { broadcastFanout } from "@/jobs/broadcast-fanout";
import { broadcastWinner } from "@/jobs/broadcast-winner";
import { getBroadcast } from "./manage";
import { variantStandings } from "./stats";

export type WinnerOutcome = { status: "chosen"; winner: string; decision: WinnerDecision } | { status: "skipped"; reason: string } | { status: "early"; until: Date };

// The end of a winner test: the variant with the best rate on the broadcast's metric among
// the test recipients wins (ties go to the earlier key). The decision keeps every variant's
// figures and the p-value of winner against runner-up, so the results page can say when the
// lead is noise. The rest of the audience is then fanned out with the winner.
export async function pickWinner(db: Db, workspaceId: string, broadcastId: string, options: { now?: Date } = {}): Promise<WinnerOutcome> {
  const now = options.now ?? new Date();
  const broadcast = await getBroadcast(db, workspaceId, broadcastId);
  if (!broadcast) return { status: "skipped", reason: "missing" };
  if (broadcast.abTest?.mode !== "winner") return { status: "skipped", reason: "not_a_winner_test" };
  if (broadcast.winnerVariant) return { status: "skipped", reason: "already_chosen" };
  if (broadcast.status !== "sending") return { status: "skipped", reason: broadcast.status };
  await getBoss();
  if (broadcast.testEndsAt && broadcast.testEndsAt.getTime() > now.getTime() + 1000) {
    await enqueue(broadcastWinner, { workspaceId, broadcastId }, { startAfter: broadcast.testEndsAt });
    return { status: "early", until: broadcast.testEndsAt };
  }
  const metric = broadcast.abTest.metric ?? "clicks";
  const standings = await variantStandings(db, broadcast, { testOnly: true });
  const successes = (variant: (typeof standings)[number]) => (metric === "opens" ? variant.opened : metric === "clicks" ? variant.clicked : variant.converted);
  const ranked = [...standings].sort(
    (a, b) => (b.delivered ? successes(b) / b.delivered : 0) - (a.delivered ? successes(a) / a.delivered : 0) || a.key.localeCompare(b.key),
  );
  const winner = ranked[0]?.key ?? "A";
  const runnerUp = ranked[1];
  const decision: WinnerDecision = {
    metric,
    variants: Object.fromEntries(
      standings.map((variant) => [variant.key, { successes: successes(variant), trials: variant.delivered, rate: variant.delivered ? successes(variant) / variant.delivered : 0 }]),
    ),
    pValue: runnerUp?.test?.pValue ?? null,
    significant: runnerUp?.test?.significant ?? false,
  };
  const chosen = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(broadcasts)
      .set({ winnerVariant: winner, winnerChosenAt: now, winnerDecision: decision, updatedAt: now })
      .where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, broadcastId), isNull(broadcasts.winnerVariant), eq(broadcasts.status, "sending")))
      .returning({ id: broadcasts.id });
    if (row) await enqueue(broadcastFanout, { workspaceId, broadcastId }, { tx });
    return Boolean(row);
  });
  return chosen ? { status: "chosen", winner, decision } : { status: "skipped", reason: "changed_meanwhile" };
}

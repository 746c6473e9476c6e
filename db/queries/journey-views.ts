import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../client";
import { journeyVersions } from "../schema";
import type { JourneyGraph } from "../../lib/journeys/graph";

/** The graphs of these published versions (for naming the nodes of a contact's path), keyed "journeyId:version". */
export async function journeyVersionGraphs(db: Db, workspaceId: string, versions: Array<{ journeyId: string; version: number }>): Promise<Map<string, JourneyGraph>> {
  if (versions.length === 0) return new Map();
  const wanted = new Set(versions.map((entry) => `${entry.journeyId}:${entry.version}`));
  const rows = await db
    .select({ journeyId: journeyVersions.journeyId, version: journeyVersions.version, graph: journeyVersions.graph })
    .from(journeyVersions)
    .where(and(eq(journeyVersions.workspaceId, workspaceId), inArray(journeyVersions.journeyId, [...new Set(versions.map((entry) => entry.journeyId))])));
  return new Map(rows.filter((row) => wanted.has(`${row.journeyId}:${row.version}`)).map((row) => [`${row.journeyId}:${row.version}`, row.graph]));
}

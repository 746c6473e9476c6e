import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { getJourney } from "@/lib/journeys/manage";
import { journeyTotals, nodeStats } from "@/lib/journeys/stats";
import { PageHeader } from "@/components/shell/page-header";
import { JourneyEditor } from "@/components/journeys/journey-editor";
import { loadJourneyOptions } from "@/components/journeys/load-options";
import { loadCatalogue } from "@/components/segments/load-catalogue";
import { previewRuleAction } from "../../segments/actions";
import {
  archiveJourneyAction,
  checkJourneyAction,
  deleteJourneyAction,
  journeyRunsAction,
  journeyStatsAction,
  pauseJourneyAction,
  publishJourneyAction,
  resumeJourneyAction,
  saveJourneyAction,
} from "../actions";

export const metadata: Metadata = { title: "Journey" };

export default async function JourneyPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { db, workspace, role } = await requireWorkspace(slug);
  const journey = await getJourney(db, workspace.id, id);
  if (!journey) notFound();
  const published = journey.version !== null;
  const [options, catalogue, nodes, totals] = await Promise.all([
    loadJourneyOptions(db, workspace),
    loadCatalogue(db, workspace.id),
    published ? nodeStats(db, workspace.id, journey.id) : undefined,
    published ? journeyTotals(db, workspace.id, journey.id) : undefined,
  ]);

  return (
    <div className="flex h-svh flex-col">
      <PageHeader title={journey.name} />
      <JourneyEditor
        key={journey.id}
        workspaceId={workspace.id}
        slug={workspace.slug}
        journey={{ id: journey.id, name: journey.name, description: journey.description, status: journey.status, version: journey.version, graph: journey.graph }}
        options={options}
        canEdit={hasRole(role, "marketer")}
        initialStats={nodes && totals ? { status: journey.status, nodes, totals } : null}
        rules={{ catalogue, preview: previewRuleAction }}
        actions={{
          save: saveJourneyAction,
          publish: publishJourneyAction,
          check: checkJourneyAction,
          pause: pauseJourneyAction,
          resume: resumeJourneyAction,
          archive: archiveJourneyAction,
          remove: deleteJourneyAction,
          stats: journeyStatsAction,
          runs: journeyRunsAction,
        }}
      />
    </div>
  );
}

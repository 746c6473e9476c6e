import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { eq } from "drizzle-orm";
import { ChevronLeftIcon, CircleAlertIcon } from "lucide-react";
import { attributeDefinitions } from "@/db/schema";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { guessMapping } from "@/lib/imports/guess";
import { previewImport } from "@/lib/imports/preview";
import { listImportErrors, statusView } from "@/lib/imports/queries";
import { findImport } from "@/lib/imports/upload";
import { PageHeader } from "@/components/shell/page-header";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ImportProgress } from "@/components/imports/import-progress";
import { ImportSteps } from "@/components/imports/import-steps";
import { MappingForm } from "@/components/imports/mapping-form";

export const metadata: Metadata = { title: "Import contacts" };

// One import: the mapping form while it is a draft, then its progress and bad rows.
export default async function ImportPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { db, workspace, role } = await requireWorkspace(slug);
  const found = await findImport(db, workspace.id, id);
  if (!found) notFound();
  const t = await getTranslations("imports");
  const back = (
    <Button asChild variant="ghost" size="sm" className="-ml-2">
      <Link href={`/w/${workspace.slug}/contacts/import`}>
        <ChevronLeftIcon />
        {t("title")}
      </Link>
    </Button>
  );

  let body: React.ReactNode;
  let step: "upload" | "map" | "import" = "import";
  if (found.status === "uploading" || (found.status === "draft" && !hasRole(role, "marketer"))) {
    step = found.status === "uploading" ? "upload" : "map";
    body = (
      <Alert>
        <CircleAlertIcon />
        <AlertDescription>{found.status === "uploading" ? t("progress.incomplete") : t("status.draft")}</AlertDescription>
      </Alert>
    );
  } else if (found.status === "draft") {
    step = "map";
    const rows = await previewImport(db, found);
    const definitions = await db
      .select({ key: attributeDefinitions.key, type: attributeDefinitions.type, declared: attributeDefinitions.declared })
      .from(attributeDefinitions)
      .where(eq(attributeDefinitions.workspaceId, workspace.id));
    const catalogue = new Map(definitions.map((row) => [row.key, { type: row.type, declared: row.declared }]));
    body = (
      <MappingForm
        workspaceId={workspace.id}
        slug={workspace.slug}
        importId={found.id}
        fileName={found.fileName}
        columns={guessMapping(found.columns ?? [], rows.map((row) => row.cells), catalogue)}
        rows={rows}
        catalogue={Object.fromEntries(catalogue)}
      />
    );
  } else {
    const finished = found.status === "done" || found.status === "failed";
    const errors = finished && found.errorCount > 0 ? await listImportErrors(db, { workspaceId: workspace.id, importId: found.id, limit: 100 }) : [];
    body = (
      <ImportProgress
        key={found.status}
        workspaceId={workspace.id}
        slug={workspace.slug}
        initial={{ ...statusView(found), errors: errors.map(({ row, reason, details }) => ({ row, reason, details })) }}
      />
    );
  }

  return (
    <>
      <PageHeader title={t("title")} description={found.fileName} />
      <div className="grid gap-6 p-6">
        <div className="flex flex-wrap items-center justify-between gap-4">
          {back}
          <ImportSteps current={step} />
        </div>
        {body}
      </div>
    </>
  );
}

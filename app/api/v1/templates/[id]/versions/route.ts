import { withSecretKey } from "@/lib/api/handler";
import { listVersions, requireTemplate } from "@/lib/messages/templates";

// GET /api/v1/templates/:id/versions: every version, newest first (fetch one with ?version=N on the template)
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  const template = await requireTemplate(db, workspace.id, String(params.id));
  const versions = await listVersions(db, workspace.id, template.id);
  return {
    data: versions.map((version) => ({
      version: version.version,
      subject: version.subject,
      current: version.version === template.currentVersion,
      created_at: version.createdAt.toISOString(),
    })),
  };
});

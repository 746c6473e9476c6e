import { withSecretKey } from "@/lib/api/handler";

// GET /api/v1/workspace: the workspace this secret key belongs to
export const GET = withSecretKey(async (_request, { workspace }) => ({
  id: workspace.id,
  name: workspace.name,
  slug: workspace.slug,
  timezone: workspace.timezone,
  createdAt: workspace.createdAt,
}));

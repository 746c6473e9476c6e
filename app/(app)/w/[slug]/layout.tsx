import { cookies } from "next/headers";
import { listWorkspacesForUser } from "@/db/queries/workspaces";
import { requireWorkspace } from "@/lib/auth/session";
import { AppSidebar } from "@/components/shell/app-sidebar";
import { SidebarInset, SidebarProvider } from "@/components/ui/sidebar";

export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  const { db, user, workspace, role } = await requireWorkspace(slug);
  const workspaces = await listWorkspacesForUser(db, user.id);
  const open = (await cookies()).get("sidebar_state")?.value !== "false";
  return (
    <SidebarProvider defaultOpen={open}>
      <AppSidebar
        current={{ id: workspace.id, name: workspace.name, slug: workspace.slug, role }}
        workspaces={workspaces}
        user={{ email: user.email, name: user.name }}
      />
      <SidebarInset>{children}</SidebarInset>
    </SidebarProvider>
  );
}

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { countUsers } from "@/db/queries/users";
import { listWorkspacesForUser } from "@/db/queries/workspaces";
import { currentUser } from "@/lib/auth/session";

// The front door: first run → setup, signed out → sign in, otherwise the first workspace.
export default async function Index() {
  const db = await getDb();
  if ((await countUsers(db)) === 0) redirect("/setup");
  const user = await currentUser();
  if (!user) redirect("/login");
  const workspaces = await listWorkspacesForUser(db, user.id);
  redirect(workspaces.length > 0 ? `/w/${workspaces[0].slug}` : "/new-workspace");
}

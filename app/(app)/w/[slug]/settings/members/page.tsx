import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { MailPlusIcon } from "lucide-react";
import { listOpenInvites } from "@/db/queries/invites";
import { listMembers } from "@/db/queries/workspaces";
import { assignableRoles, hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ActionButton } from "@/components/form/action-button";
import { DateTime } from "@/components/settings/date-time";
import { InviteForm } from "@/components/settings/invite-form";
import { RoleSelect } from "@/components/settings/role-select";
import { changeRoleAction, createInviteAction, removeMemberAction, revokeInviteAction } from "../actions";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace, user, role } = await requireWorkspace(slug, "admin");
  const t = await getTranslations("members");
  const tRoles = await getTranslations("roles");
  const tCommon = await getTranslations("common");
  const [members, invites] = await Promise.all([listMembers(db, workspace.id), listOpenInvites(db, workspace.id)]);
  const roles = assignableRoles(role);
  const canManage = (target: string) => target !== "owner" || hasRole(role, "owner");

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-6 p-6">
        <Card>
          <CardContent>
            <Table data-testid="members">
              <TableHeader>
                <TableRow>
                  <TableHead>{t("name")}</TableHead>
                  <TableHead>{t("email")}</TableHead>
                  <TableHead>{t("role")}</TableHead>
                  <TableHead>{t("joined")}</TableHead>
                  <TableHead className="sr-only">{t("remove")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {members.map((member) => (
                  <TableRow key={member.userId}>
                    <TableCell className="font-medium">
                      {member.name || "—"}
                      {member.userId === user.id ? (
                        <span className="text-muted-foreground ml-1 text-xs">({tCommon("you")})</span>
                      ) : null}
                    </TableCell>
                    <TableCell>{member.email}</TableCell>
                    <TableCell>
                      {canManage(member.role) ? (
                        <RoleSelect
                          workspaceId={workspace.id}
                          userId={member.userId}
                          role={member.role}
                          roles={roles}
                          label={`${t("role")}: ${member.email}`}
                          action={changeRoleAction}
                        />
                      ) : (
                        <Badge variant="secondary">{tRoles(member.role)}</Badge>
                      )}
                    </TableCell>
                    <TableCell>
                      <DateTime value={member.joinedAt} timeZone={workspace.timezone} />
                    </TableCell>
                    <TableCell className="text-right">
                      {canManage(member.role) && member.userId !== user.id ? (
                        <ActionButton
                          action={removeMemberAction}
                          fields={{ workspaceId: workspace.id, userId: member.userId }}
                          successMessage={t("removed")}
                          confirm={`${t("remove")} ${member.email}?`}
                          variant="ghost"
                          size="sm"
                        >
                          {t("remove")}
                        </ActionButton>
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>{t("inviteTitle")}</CardTitle>
            <CardDescription>{t("inviteDescription")}</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-6">
            <InviteForm workspaceId={workspace.id} roles={roles} action={createInviteAction} />
            <div className="grid gap-2">
              <h3 className="text-sm font-medium">{t("openInvites")}</h3>
              {invites.length === 0 ? (
                <div className="text-muted-foreground flex items-center gap-2 rounded-lg border border-dashed p-4 text-sm">
                  <MailPlusIcon className="size-4" aria-hidden />
                  {t("noInvites")}
                </div>
              ) : (
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead>{t("role")}</TableHead>
                      <TableHead>{t("expires")}</TableHead>
                      <TableHead className="sr-only">{t("revoke")}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {invites.map((invite) => (
                      <TableRow key={invite.id}>
                        <TableCell>{tRoles(invite.role)}</TableCell>
                        <TableCell>
                          <DateTime value={invite.expiresAt} timeZone={workspace.timezone} />
                        </TableCell>
                        <TableCell className="text-right">
                          <ActionButton
                            action={revokeInviteAction}
                            fields={{ workspaceId: workspace.id, id: invite.id }}
                            successMessage={t("inviteRevoked")}
                            variant="ghost"
                            size="sm"
                          >
                            {t("revoke")}
                          </ActionButton>
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </div>
          </CardContent>
        </Card>
      </div>
    </>
  );
}

import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { KeyRoundIcon } from "lucide-react";
import { listApiKeys } from "@/db/queries/api-keys";
import { requireWorkspace } from "@/lib/auth/session";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ActionButton } from "@/components/form/action-button";
import { CopyButton } from "@/components/form/copy-button";
import { CreateKeyDialog } from "@/components/settings/create-key-dialog";
import { DateTime } from "@/components/settings/date-time";
import { createKeyAction, revokeKeyAction } from "../actions";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace } = await requireWorkspace(slug, "admin");
  const t = await getTranslations("keys");
  const tCommon = await getTranslations("common");
  const keys = await listApiKeys(db, workspace.id);

  const section = (kind: "write" | "secret") => {
    const rows = keys.filter((key) => key.kind === kind);
    return (
      <Card>
        <CardHeader>
          <CardTitle>{kind === "write" ? t("writeTitle") : t("secretTitle")}</CardTitle>
          <CardDescription>{kind === "write" ? t("writeDescription") : t("secretDescription")}</CardDescription>
          <CardAction>
            <CreateKeyDialog workspaceId={workspace.id} kind={kind} action={createKeyAction} />
          </CardAction>
        </CardHeader>
        <CardContent>
          {rows.length === 0 ? (
            <div className="text-muted-foreground flex flex-col items-center gap-2 rounded-lg border border-dashed p-8 text-center text-sm">
              <KeyRoundIcon className="size-6" aria-hidden />
              {kind === "write" ? t("noWrite") : t("noSecret")}
            </div>
          ) : (
            <Table data-testid={`${kind}-keys`}>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("name")}</TableHead>
                  <TableHead>{t("key")}</TableHead>
                  <TableHead>{t("created")}</TableHead>
                  <TableHead>{t("lastUsed")}</TableHead>
                  <TableHead>{t("status")}</TableHead>
                  <TableHead className="sr-only">{t("revoke")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((key) => (
                  <TableRow key={key.id}>
                    <TableCell className="font-medium">{key.name}</TableCell>
                    <TableCell>
                      <div className="flex items-center gap-2">
                        <code className="font-mono text-xs">{key.publicToken ?? key.prefix}</code>
                        {key.publicToken && !key.revokedAt ? <CopyButton value={key.publicToken} /> : null}
                      </div>
                    </TableCell>
                    <TableCell>
                      <DateTime value={key.createdAt} timeZone={workspace.timezone} />
                    </TableCell>
                    <TableCell>
                      {key.lastUsedAt ? <DateTime value={key.lastUsedAt} timeZone={workspace.timezone} /> : tCommon("never")}
                    </TableCell>
                    <TableCell>
                      {key.revokedAt ? (
                        <Badge variant="secondary">{t("revoked")}</Badge>
                      ) : (
                        <Badge variant="outline">{t("active")}</Badge>
                      )}
                    </TableCell>
                    <TableCell className="text-right">
                      {key.revokedAt ? null : (
                        <ActionButton
                          action={revokeKeyAction}
                          fields={{ workspaceId: workspace.id, id: key.id }}
                          successMessage={t("revokedToast")}
                          confirm={t("revokeConfirm", { name: key.name })}
                          variant="ghost"
                          size="sm"
                          aria-label={`${t("revoke")} ${key.name}`}
                        >
                          {t("revoke")}
                        </ActionButton>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    );
  };

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-6 p-6">
        {section("secret")}
        {section("write")}
      </div>
    </>
  );
}

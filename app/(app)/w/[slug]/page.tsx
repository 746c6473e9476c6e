import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { KeyRoundIcon, RadioTowerIcon, UsersIcon } from "lucide-react";
import { firstActiveWriteKey } from "@/db/queries/api-keys";
import { listMembers } from "@/db/queries/workspaces";
import { roles, type Role } from "@/db/schema";
import { appUrl } from "@/lib/app-url";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { loaderSnippet } from "@/lib/tracking/snippet";
import { PageHeader } from "@/components/shell/page-header";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/form/copy-button";
import { DateTime } from "@/components/settings/date-time";

export const metadata: Metadata = { title: "Home" };

export default async function HomePage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ denied?: string }>;
}) {
  const { slug } = await params;
  const { denied } = await searchParams;
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("home");
  const tRoles = await getTranslations("roles");
  const [writeKey, members, origin] = await Promise.all([
    firstActiveWriteKey(db, workspace.id),
    listMembers(db, workspace.id),
    appUrl(),
  ]);
  const snippet = writeKey?.publicToken ? loaderSnippet({ appUrl: origin, writeKey: writeKey.publicToken }) : undefined;
  const admin = hasRole(role, "admin");
  const deniedRole = (roles as readonly string[]).includes(denied ?? "") ? (denied as Role) : undefined;
  const base = `/w/${workspace.slug}`;

  return (
    <>
      <PageHeader title={t("title", { workspace: workspace.name })} description={t("description")} />
      <div className="grid gap-6 p-6 lg:grid-cols-3">
        {deniedRole ? (
          <Alert variant="destructive" className="lg:col-span-3" role="alert">
            <AlertDescription>{t("denied", { role: tRoles(deniedRole) })}</AlertDescription>
          </Alert>
        ) : null}
        <Card className="min-w-0 lg:col-span-2">
          <CardHeader>
            <CardTitle>{t("gettingStarted")}</CardTitle>
          </CardHeader>
          <CardContent>
            <ol className="grid gap-5">
              <Step icon={RadioTowerIcon} title={t("stepWriteKey")} body={t("stepWriteKeyBody")}>
                {writeKey?.publicToken && snippet ? (
                  <div className="grid w-full min-w-0 gap-4">
                    <div className="flex flex-wrap items-center gap-2">
                      <code data-testid="write-key" className="bg-muted rounded px-2 py-1 font-mono text-xs break-all">
                        {writeKey.publicToken}
                      </code>
                      <CopyButton value={writeKey.publicToken} />
                    </div>
                    <div className="grid min-w-0 gap-2">
                      <div className="flex flex-wrap items-end justify-between gap-3">
                        <div className="min-w-0 flex-1 basis-64">
                          <p id="install-snippet-title" className="text-sm font-medium">
                            {t("installSnippet")}
                          </p>
                          <p className="text-muted-foreground text-sm">{t("installSnippetBody")}</p>
                        </div>
                        <CopyButton value={snippet} label={t("copySnippet")} />
                      </div>
                      {/* Wrapped rather than scrolled, so the key and address at the end stay in view. */}
                      <pre
                        data-testid="install-snippet"
                        aria-labelledby="install-snippet-title"
                        className="bg-muted rounded-md p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap wrap-anywhere"
                      >
                        <code>{snippet}</code>
                      </pre>
                    </div>
                  </div>
                ) : (
                  <p className="text-muted-foreground text-sm">{t("noWriteKey")}</p>
                )}
              </Step>
              {admin ? (
                <>
                  <Step icon={KeyRoundIcon} title={t("stepSecretKey")} body={t("stepSecretKeyBody")}>
                    <Button asChild size="sm" variant="outline">
                      <Link href={`${base}/settings/keys`}>{t("openKeys")}</Link>
                    </Button>
                  </Step>
                  <Step icon={UsersIcon} title={t("stepInvite")} body={t("stepInviteBody")}>
                    <Button asChild size="sm" variant="outline">
                      <Link href={`${base}/settings/members`}>{t("openMembers")}</Link>
                    </Button>
                  </Step>
                </>
              ) : null}
            </ol>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t("workspaceFacts")}</CardTitle>
            <CardDescription>{workspace.name}</CardDescription>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
              <dt className="text-muted-foreground">{t("yourRole")}</dt>
              <dd>{tRoles(role)}</dd>
              <dt className="text-muted-foreground">{t("members")}</dt>
              <dd>{t("team", { count: members.length })}</dd>
              <dt className="text-muted-foreground">{t("timezone")}</dt>
              <dd>{workspace.timezone}</dd>
              <dt className="text-muted-foreground">{t("created")}</dt>
              <dd>
                <DateTime value={workspace.createdAt} timeZone={workspace.timezone} />
              </dd>
            </dl>
          </CardContent>
        </Card>
      </div>
    </>
  );
}

function Step({
  icon: Icon,
  title,
  body,
  children,
}: {
  icon: React.ComponentType<{ className?: string }>;
  title: string;
  body: string;
  children: React.ReactNode;
}) {
  return (
    <li className="flex gap-4">
      <div className="bg-muted flex size-9 shrink-0 items-center justify-center rounded-full">
        <Icon className="size-4" />
      </div>
      <div className="grid min-w-0 flex-1 gap-2">
        <div>
          <p className="font-medium">{title}</p>
          <p className="text-muted-foreground text-sm">{body}</p>
        </div>
        <div className="flex">{children}</div>
      </div>
    </li>
  );
}

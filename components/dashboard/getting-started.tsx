import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { KeyRoundIcon, RadioTowerIcon, UsersIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/form/copy-button";

/** The first steps: the write key and snippet, then (for admins) a secret key and the team. */
export async function GettingStartedSteps({
  writeKey,
  snippet,
  admin,
  base,
}: {
  writeKey: string | null | undefined;
  snippet: string | undefined;
  admin: boolean;
  base: string;
}) {
  const t = await getTranslations("home");
  return (
    <ol className="grid gap-5">
      <Step icon={RadioTowerIcon} title={t("stepWriteKey")} body={t("stepWriteKeyBody")}>
        {writeKey && snippet ? (
          <div className="grid w-full min-w-0 gap-4">
            <div className="flex flex-wrap items-center gap-2">
              <code data-testid="write-key" className="bg-muted rounded px-2 py-1 font-mono text-xs break-all">
                {writeKey}
              </code>
              <CopyButton value={writeKey} />
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

import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { ActionState } from "@/lib/auth/action";
import { ActionButton } from "@/components/form/action-button";
import { DateTime } from "@/components/settings/date-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";

type Restore = (previous: ActionState<{ id: string; version: number }>, formData: FormData) => Promise<ActionState<{ id: string; version: number }>>;

/** Every frozen version, newest first: view one, or restore it as the newest. */
export async function VersionHistory({
  workspaceId,
  base,
  templateId,
  current,
  viewing,
  versions,
  timeZone,
  canRestore,
  restore,
}: {
  workspaceId: string;
  base: string;
  templateId: string;
  current: number;
  viewing: number;
  versions: Array<{ version: number; subject: string | null; createdAt: string }>;
  timeZone: string;
  canRestore: boolean;
  restore: Restore;
}) {
  const t = await getTranslations("templates.versions");
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
      </CardHeader>
      <CardContent>
        <ol className="grid gap-2" data-testid="version-history">
          {versions.map((row) => (
            <li key={row.version} className="flex flex-wrap items-center justify-between gap-2 rounded-md border px-3 py-2 text-sm">
              <div className="grid gap-0.5">
                <span className="flex items-center gap-2 font-medium">
                  {t("version", { version: row.version })}
                  {row.version === current ? <Badge variant="secondary">{t("current")}</Badge> : null}
                  {row.version === viewing && row.version !== current ? <Badge variant="outline">{t("viewing")}</Badge> : null}
                </span>
                <span className="text-muted-foreground text-xs">
                  <DateTime value={new Date(row.createdAt)} timeZone={timeZone} />
                  {row.subject ? ` · ${row.subject}` : ""}
                </span>
              </div>
              <div className="flex items-center gap-2">
                {row.version !== viewing ? (
                  <Link href={row.version === current ? base : `${base}?version=${row.version}`} className="text-sm underline-offset-4 hover:underline">
                    {t("view")}
                  </Link>
                ) : null}
                {canRestore && row.version !== current ? (
                  <ActionButton action={restore as unknown as (previous: ActionState, formData: FormData) => Promise<ActionState>} fields={{ workspaceId, id: templateId, version: String(row.version) }} successMessage={t("restored", { version: row.version })} variant="outline" size="sm">
                    {t("restore")}
                  </ActionButton>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      </CardContent>
    </Card>
  );
}

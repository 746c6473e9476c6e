import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { asc, eq } from "drizzle-orm";
import { topics } from "@/db/schema";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { getTemplateVersion, listVersions } from "@/lib/messages/templates";
import { PageHeader } from "@/components/shell/page-header";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { TemplateEditor } from "@/components/templates/template-editor";
import { TemplatePreview } from "@/components/templates/template-preview";
import { VersionHistory } from "@/components/templates/version-history";
import { archiveTemplateAction, previewTemplateAction, restoreVersionAction, saveTemplateAction, searchContactsAction, sendTestAction } from "../actions";

export const metadata: Metadata = { title: "Template" };

export default async function TemplatePage({ params, searchParams }: { params: Promise<{ slug: string; id: string }>; searchParams: Promise<{ version?: string }> }) {
  const { slug, id } = await params;
  const { version: asked } = await searchParams;
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("templates");
  const number = asked && /^\d+$/.test(asked) ? Number(asked) : undefined;
  const found = await getTemplateVersion(db, workspace.id, id, number);
  if (!found) notFound();
  const { template, version } = found;
  const [topicRows, versions] = await Promise.all([
    db.select({ id: topics.id, name: topics.name }).from(topics).where(eq(topics.workspaceId, workspace.id)).orderBy(asc(topics.name)),
    listVersions(db, workspace.id, template.id),
  ]);
  const isOld = version.version !== template.currentVersion;
  const canEdit = hasRole(role, "marketer") && !template.archivedAt && !isOld;
  const base = `/w/${workspace.slug}/templates/${template.id}`;

  return (
    <>
      <PageHeader title={template.name} description={t("editor.description", { channel: t(`channels.${template.channel}`), format: t(`formats.${template.format}`), version: version.version })} />
      <div className="grid gap-4 p-6">
        {template.archivedAt ? (
          <Alert>
            <AlertDescription>{t("editor.archived")}</AlertDescription>
          </Alert>
        ) : null}
        {isOld ? (
          <Alert data-testid="old-version">
            <AlertDescription>
              {t("editor.viewingOld", { version: version.version, current: template.currentVersion })}{" "}
              <Link href={base} className="underline">
                {t("editor.backToCurrent")}
              </Link>
            </AlertDescription>
          </Alert>
        ) : null}
        <div className="grid items-start gap-6 2xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
          <TemplateEditor
            key={isOld ? `${template.id}:${version.version}` : template.id}
            workspaceId={workspace.id}
            slug={workspace.slug}
            template={{ id: template.id, name: template.name, channel: template.channel, format: template.format, kind: template.kind, topicId: template.topicId }}
            version={{ subject: version.subject, preheader: version.preheader, fromName: version.fromName, fromEmail: version.fromEmail, replyTo: version.replyTo, content: version.content }}
            topics={topicRows}
            editable={canEdit}
            canArchive={hasRole(role, "marketer") && !template.archivedAt}
            save={saveTemplateAction}
            archive={archiveTemplateAction}
          />
          <div className="grid min-w-0 gap-6">
            <TemplatePreview
              workspaceId={workspace.id}
              messagesHref={`/w/${workspace.slug}/messages`}
              templateId={template.id}
              version={version.version}
              channel={template.channel}
              canSendTest={hasRole(role, "marketer") && template.channel === "email" && !template.archivedAt}
              preview={previewTemplateAction}
              search={searchContactsAction}
              sendTest={sendTestAction}
            />
            <VersionHistory
              workspaceId={workspace.id}
              base={base}
              templateId={template.id}
              current={template.currentVersion}
              viewing={version.version}
              versions={versions.map((row) => ({ version: row.version, subject: row.subject, createdAt: row.createdAt.toISOString() }))}
              timeZone={workspace.timezone}
              canRestore={hasRole(role, "marketer") && !template.archivedAt}
              restore={restoreVersionAction}
            />
          </div>
        </div>
      </div>
    </>
  );
}

import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireWorkspace } from "@/lib/auth/session";
import { listAttributes } from "@/lib/contacts/attribute-catalogue";
import { PageHeader } from "@/components/shell/page-header";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/settings/date-time";
import { AttributeStatusBadge } from "@/components/attributes/attribute-status-badge";
import { AttributeTypeSelect } from "@/components/attributes/attribute-type-select";
import { AttributesEmptyState } from "@/components/attributes/attributes-empty-state";
import { SampleValue } from "@/components/attributes/sample-value";
import { declareAttributeAction } from "./actions";

export const metadata: Metadata = { title: "Attributes" };

export default async function AttributesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace } = await requireWorkspace(slug, "admin");
  const t = await getTranslations("attributes");
  const attributes = await listAttributes(db, workspace.id);

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-6 p-6">
        {attributes.length === 0 ? (
          <AttributesEmptyState keysHref={`/w/${workspace.slug}/settings/keys`} />
        ) : (
          <Card>
            <CardHeader>
              <CardDescription>{t("count", { count: attributes.length })}</CardDescription>
            </CardHeader>
            <CardContent>
              <Table data-testid="attributes">
                <TableHeader>
                  <TableRow>
                    <TableHead>{t("key")}</TableHead>
                    <TableHead>{t("type")}</TableHead>
                    <TableHead>{t("status")}</TableHead>
                    <TableHead>{t("sample")}</TableHead>
                    <TableHead>{t("lastSeen")}</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {attributes.map((attribute) => (
                    <TableRow key={attribute.key} data-key={attribute.key}>
                      <TableCell>
                        <code className="font-mono text-sm font-medium">{attribute.key}</code>
                        {attribute.label ? <div className="text-muted-foreground text-xs">{attribute.label}</div> : null}
                      </TableCell>
                      <TableCell>
                        <AttributeTypeSelect
                          workspaceId={workspace.id}
                          attributeKey={attribute.key}
                          type={attribute.type}
                          declared={attribute.declared}
                          action={declareAttributeAction}
                        />
                      </TableCell>
                      <TableCell>
                        <AttributeStatusBadge declared={attribute.declared} />
                      </TableCell>
                      <TableCell className="max-w-64">
                        <SampleValue value={attribute.sample} />
                      </TableCell>
                      <TableCell className="text-muted-foreground">
                        <DateTime value={attribute.lastSeenAt} timeZone={workspace.timezone} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        )}
      </div>
    </>
  );
}

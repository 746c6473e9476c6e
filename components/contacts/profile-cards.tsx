import { getTranslations } from "next-intl/server";
import { BuildingIcon, FingerprintIcon, ListIcon } from "lucide-react";
import type { Company, Json, JsonObject } from "@/db/schema";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DateTime } from "@/components/settings/date-time";

/** A JSON value as a person reads it: text as text, everything else as compact JSON. */
export function showValue(value: Json): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.join(", ");
  return JSON.stringify(value);
}

function KeyValues({ values, testId }: { values: JsonObject; testId?: string }) {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  return (
    <dl className="grid grid-cols-[minmax(6rem,auto)_1fr] gap-x-4 gap-y-1.5 text-sm" data-testid={testId}>
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="text-muted-foreground truncate font-mono text-xs leading-5" title={key}>
            {key}
          </dt>
          <dd className="min-w-0 break-words">{showValue(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Empty({ icon: Icon, children }: { icon: React.ComponentType<{ className?: string }>; children: React.ReactNode }) {
  return (
    <div className="text-muted-foreground flex items-start gap-2 text-sm">
      <Icon className="mt-0.5 size-4 shrink-0" />
      <p>{children}</p>
    </div>
  );
}

export async function AttributesCard({ attributes, edit }: { attributes: JsonObject; edit: React.ReactNode }) {
  const t = await getTranslations("contacts.profile");
  const empty = Object.keys(attributes).length === 0;
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("attributes")}</CardTitle>
        {edit ? <CardAction>{edit}</CardAction> : null}
      </CardHeader>
      <CardContent>
        {empty ? (
          <Empty icon={ListIcon}>{t("noAttributes")}</Empty>
        ) : (
          <KeyValues values={attributes} testId="contact-attributes" />
        )}
      </CardContent>
    </Card>
  );
}

export async function IdentitiesCard({
  identities,
  timeZone,
}: {
  identities: Array<{ kind: string; value: string; createdAt: Date }>;
  timeZone: string;
}) {
  const t = await getTranslations("contacts.profile");
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("identities")}</CardTitle>
        <CardDescription>{t("identitiesHint")}</CardDescription>
      </CardHeader>
      <CardContent>
        {identities.length === 0 ? (
          <Empty icon={FingerprintIcon}>{t("noIdentities")}</Empty>
        ) : (
          <ul className="grid gap-2 text-sm" data-testid="contact-identities">
            {identities.map((identity) => (
              <li key={`${identity.kind}:${identity.value}`} className="grid gap-0.5">
                <span className="text-muted-foreground text-xs">
                  {t.has(`identityKind.${identity.kind}` as never) ? t(`identityKind.${identity.kind}` as never) : identity.kind}
                  {" · "}
                  <DateTime value={identity.createdAt} timeZone={timeZone} />
                </span>
                <code className="font-mono text-xs break-all">{identity.value}</code>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

export async function CompanyCard({ company }: { company: Company | undefined }) {
  const t = await getTranslations("contacts.profile");
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("company")}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3">
        {!company ? (
          <Empty icon={BuildingIcon}>{t("noCompany")}</Empty>
        ) : (
          <>
            <div className="grid gap-0.5">
              <p className="font-medium">{company.name ?? t("unnamedCompany")}</p>
              <p className="text-muted-foreground text-xs">
                {t("groupId")}: <code className="font-mono">{company.groupId}</code>
              </p>
            </div>
            {Object.keys(company.traits).length > 0 ? <KeyValues values={company.traits} testId="company-traits" /> : null}
          </>
        )}
      </CardContent>
    </Card>
  );
}

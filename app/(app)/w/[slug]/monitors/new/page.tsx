import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireWorkspace } from "@/lib/auth/session";
import { monitorExamples, type MonitorExample } from "@/lib/monitors/schema";
import { rewardSettingsOf } from "@/lib/rewards/points";
import { PageHeader } from "@/components/shell/page-header";
import { draftOf, emptyAction, newDraft, type MonitorDraft, type MonitorOptions } from "@/components/monitors/draft";
import { ExampleCards } from "@/components/monitors/example-cards";
import { loadMonitorOptions } from "@/components/monitors/load-options";
import { MonitorForm } from "@/components/monitors/monitor-form";
import { checkWhereAction, eventPropertiesAction, findContactsAction, saveMonitorAction, testMonitorAction } from "../actions";

export const metadata: Metadata = { title: "New monitor" };

const isExample = (value: string | undefined): value is MonitorExample => Boolean(value) && Object.hasOwn(monitorExamples, value!);

/** An example as the form's state, named in the reader's language; "first purchase over 100" gets a coupon action (the first campaign, or one to pick). */
function exampleDraft(key: MonitorExample, options: MonitorOptions, name: string): MonitorDraft {
  const example = monitorExamples[key];
  // The examples are deeply readonly constants; the form copies what it needs.
  const shape = JSON.parse(JSON.stringify(example)) as Parameters<typeof draftOf>[0];
  const draft = draftOf(shape, options);
  const actions = draft.actions.map((action) => (action.type === "points" ? { ...action, reason: name } : action));
  return { ...draft, name, template: key, actions: key === "first_big_order" ? [emptyAction("coupon", options), ...actions] : actions };
}

export default async function NewMonitorPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ example?: string }> }) {
  const { slug } = await params;
  const { example } = await searchParams;
  const { db, workspace } = await requireWorkspace(slug, "marketer");
  const t = await getTranslations("monitors");
  const [options, settings] = await Promise.all([loadMonitorOptions(db, workspace), rewardSettingsOf(db, workspace.id)]);
  const initial = isExample(example) ? exampleDraft(example, options, t(`examples.${example}.name`)) : newDraft(options);
  return (
    <>
      <PageHeader title={isExample(example) ? t("form.newFromExample", { example: t(`examples.${example}.title`) }) : t("form.newTitle")} description={t("form.newDescription")} />
      <div className="grid gap-6 p-6">
        {!isExample(example) ? (
          <section className="grid max-w-4xl gap-2" aria-labelledby="examples-heading">
            <h2 id="examples-heading" className="text-sm font-medium">
              {t("form.orExample")}
            </h2>
            <ExampleCards slug={workspace.slug} />
          </section>
        ) : null}
        <MonitorForm
          key={example ?? "blank"}
          workspaceId={workspace.id}
          slug={workspace.slug}
          initial={initial}
          options={options}
          pointsName={settings.pointsName}
          actions={{ save: saveMonitorAction, test: testMonitorAction, checkWhere: checkWhereAction, eventProperties: eventPropertiesAction, findContacts: findContactsAction }}
        />
      </div>
    </>
  );
}

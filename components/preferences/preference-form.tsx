import type { PreferenceCentre } from "@/lib/messages/unsubscribe";
import { Button } from "@/components/ui/button";
import { Separator } from "@/components/ui/separator";
import type { Translate } from "./translator";


// A plain HTML form (native checkboxes, POST to a route): it works in any mail client's
// browser, with or without JavaScript.
export function PreferenceForm({ token, centre, t }: { token: string; centre: PreferenceCentre; t: Translate }) {
  const box = "border-input accent-primary mt-0.5 size-4 shrink-0 rounded-sm";
  return (
    <form method="post" action={`/u/p/${token}/save`} className="grid gap-5">
      {centre.topics.length > 0 ? (
        <fieldset className="grid gap-3">
          <legend className="mb-2 text-sm font-medium">{t("topicsLegend")}</legend>
          {centre.topics.map(({ topic, subscribed }) => (
            <label key={topic.id} className="hover:bg-muted/60 flex cursor-pointer items-start gap-3 rounded-md border p-3">
              <input type="checkbox" name="topic" value={topic.id} defaultChecked={subscribed} className={box} />
              <span className="grid gap-0.5">
                <span className="text-sm font-medium">{topic.name}</span>
                {topic.description ? <span className="text-muted-foreground text-sm">{topic.description}</span> : null}
              </span>
            </label>
          ))}
        </fieldset>
      ) : (
        <p className="text-muted-foreground text-sm">{t("noTopics")}</p>
      )}
      <Separator />
      <label className="flex cursor-pointer items-start gap-3">
        <input type="checkbox" name="all" defaultChecked={centre.unsubscribedAll} className={box} />
        <span className="grid gap-0.5">
          <span className="text-sm font-medium">{t("unsubscribeAll")}</span>
          <span className="text-muted-foreground text-sm">{t("unsubscribeAllHint")}</span>
        </span>
      </label>
      <div>
        <Button type="submit">{t("save")}</Button>
      </div>
    </form>
  );
}

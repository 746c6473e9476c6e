import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { CalendarCheckIcon, ShoppingBagIcon, TicketIcon } from "lucide-react";
import type { MonitorExample } from "@/lib/monitors/schema";

const examples: Array<{ key: MonitorExample; icon: typeof ShoppingBagIcon }> = [
  { key: "repeat_buyer", icon: ShoppingBagIcon },
  { key: "first_big_order", icon: TicketIcon },
  { key: "login_streak", icon: CalendarCheckIcon },
];

/** The three examples a marketer starts from, each a link to the editor filled in with it. */
export async function ExampleCards({ slug }: { slug: string }) {
  const t = await getTranslations("monitors.examples");
  return (
    <ul className="grid w-full max-w-3xl gap-3 text-left sm:grid-cols-3" aria-label={t("label")} data-testid="monitor-examples">
      {examples.map(({ key, icon: Icon }) => (
        <li key={key}>
          <Link
            href={`/w/${slug}/monitors/new?example=${key}`}
            className="hover:border-primary hover:bg-accent/40 focus-visible:ring-ring/50 flex h-full flex-col gap-2 rounded-lg border p-4 text-sm outline-none focus-visible:ring-[3px]"
            data-example={key}
          >
            <Icon className="text-primary size-5" aria-hidden />
            <span className="text-foreground font-medium">{t(`${key}.title`)}</span>
            <span className="text-muted-foreground">{t(`${key}.body`)}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { CoinsIcon, TicketIcon } from "lucide-react";
import { cn } from "@/lib/utils";

/** The Rewards area's two parts: the points centre and the coupon centre. */
export async function RewardsTabs({ slug, current }: { slug: string; current: "points" | "coupons" }) {
  const t = await getTranslations("rewards.tabs");
  const tabs = [
    { key: "points", href: `/w/${slug}/rewards`, label: t("points"), icon: CoinsIcon },
    { key: "coupons", href: `/w/${slug}/rewards/coupons`, label: t("coupons"), icon: TicketIcon },
  ] as const;
  return (
    <nav aria-label={t("label")} className="border-b px-6">
      <ul className="-mb-px flex gap-4">
        {tabs.map((tab) => (
          <li key={tab.key}>
            <Link
              href={tab.href}
              aria-current={current === tab.key ? "page" : undefined}
              className={cn(
                "text-muted-foreground hover:text-foreground focus-visible:ring-ring/50 inline-flex items-center gap-1.5 border-b-2 border-transparent px-1 py-2.5 text-sm font-medium outline-none focus-visible:ring-[3px]",
                current === tab.key && "border-primary text-foreground",
              )}
            >
              <tab.icon className="size-4" aria-hidden />
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { rangeDays, type RangeDays } from "@/lib/dashboard/range";
import { cn } from "@/lib/utils";

// Plain links (?range=7), so a range is a URL to share and every option is a Tab stop.
export async function RangePicker({ href, current }: { href: string; current: RangeDays }) {
  const t = await getTranslations("dashboard.range");
  return (
    <nav aria-label={t("label")} data-testid="range-picker" className="bg-muted text-muted-foreground inline-flex h-9 items-center rounded-lg p-[3px]">
      {rangeDays.map((days) => (
        <Link
          key={days}
          href={`${href}?range=${days}`}
          aria-current={days === current ? "page" : undefined}
          className={cn(
            "inline-flex h-full items-center rounded-md px-3 text-sm font-medium whitespace-nowrap transition-colors",
            "hover:text-foreground focus-visible:ring-ring/50 focus-visible:ring-[3px] focus-visible:outline-none",
            days === current && "bg-background text-foreground shadow-sm",
          )}
        >
          {t("days", { days })}
        </Link>
      ))}
    </nav>
  );
}

"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { CouponValue } from "@/db/schema";

/** "¥20 off", "15% off" or the campaign's own words. */
export function CouponValueText({ value }: { value: CouponValue }) {
  const t = useTranslations("rewards.value");
  const format = useFormatter();
  if (value.kind === "amount") {
    let money: string;
    try {
      money = format.number(value.amount, { style: "currency", currency: value.currency });
    } catch {
      money = `${format.number(value.amount)} ${value.currency}`;
    }
    return <>{t("amount", { money })}</>;
  }
  if (value.kind === "percent") return <>{t("percent", { percent: format.number(value.percent / 100, { style: "percent", maximumFractionDigits: 2 }) })}</>;
  return <>{value.text}</>;
}

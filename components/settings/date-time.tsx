import { getFormatter } from "next-intl/server";

/** A moment in the workspace's time zone, in the reader's language. */
export async function DateTime({ value, timeZone }: { value: Date | null | undefined; timeZone: string }) {
  if (!value) return null;
  const format = await getFormatter();
  return (
    <time dateTime={value.toISOString()} title={`${value.toISOString()} (${timeZone})`}>
      {format.dateTime(value, { dateStyle: "medium", timeStyle: "short", timeZone })}
    </time>
  );
}

"use client";

import { useMemo, useSyncExternalStore } from "react";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** IANA time zones; defaults to the browser's own zone when no value is given. */
export function TimezoneSelect({ name, label, defaultValue }: { name: string; label: string; defaultValue?: string }) {
  const zones = useMemo(() => Intl.supportedValuesOf("timeZone"), []);
  const detected = useSyncExternalStore(
    () => () => {},
    browserZone,
    () => "UTC",
  );
  const initial = defaultValue ?? detected;
  return (
    <div className="grid gap-2">
      <Label htmlFor={`field-${name}`}>{label}</Label>
      <Select key={initial} name={name} defaultValue={initial}>
        <SelectTrigger id={`field-${name}`} className="w-full">
          <SelectValue />
        </SelectTrigger>
        <SelectContent className="max-h-72">
          {(zones.includes(initial) ? zones : [initial, ...zones]).map((zone) => (
            <SelectItem key={zone} value={zone}>
              {zone.replaceAll("_", " ")}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}

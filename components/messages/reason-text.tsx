"use client";

import { useReasonText } from "./status-badge";

export function ReasonText({ reason }: { reason: string }) {
  return <>{useReasonText()(reason)}</>;
}

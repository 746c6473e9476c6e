import type { ReactNode } from "react";
import type { LucideIcon } from "lucide-react";
import { Card, CardContent } from "@/components/ui/card";

/**
 * What a page shows while it has nothing to list: what belongs here and what to do next.
 * `children` are the next steps (a button, a list of ways in). `bare` leaves out the card,
 * for an empty state inside a card of its own.
 */
export function EmptyState({
  icon: Icon,
  title,
  body,
  testId,
  bare = false,
  children,
}: {
  icon: LucideIcon;
  title: ReactNode;
  body?: ReactNode;
  testId?: string;
  bare?: boolean;
  children?: ReactNode;
}) {
  const content = (
    <div className="flex flex-col items-center gap-4 py-8 text-center">
      <div className="bg-muted flex size-12 items-center justify-center rounded-full">
        <Icon className="size-6" aria-hidden />
      </div>
      <div className="text-muted-foreground grid max-w-xl gap-1 text-sm">
        <h2 className="text-foreground text-lg font-semibold">{title}</h2>
        {typeof body === "string" ? <p>{body}</p> : body}
      </div>
      {children}
    </div>
  );
  if (bare) return <div data-testid={testId}>{content}</div>;
  return (
    <Card data-testid={testId}>
      <CardContent>{content}</CardContent>
    </Card>
  );
}

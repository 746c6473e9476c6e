"use client";

import { useTranslations } from "next-intl";
import type { NodeType } from "@/lib/journeys/graph";
import { cn } from "@/lib/utils";
import { nodeLook, paletteGroups } from "./node-meta";

export const dragType = "application/x-tideline-node";

/** The node types to add: drag one onto the canvas, or click (or Enter) to add it below the selected node. */
export function Palette({ withTrigger, onAdd }: { withTrigger: boolean; onAdd: (type: NodeType) => void }) {
  const t = useTranslations("journeys");
  const groups = withTrigger ? [{ key: "entry" as const, types: ["trigger" as NodeType] }, ...paletteGroups] : paletteGroups;
  return (
    <nav className="bg-muted/30 w-56 shrink-0 overflow-y-auto border-r p-3" aria-label={t("palette.title")} data-testid="palette">
      <p className="text-muted-foreground mb-3 text-xs">{t("palette.hint")}</p>
      <div className="grid gap-4">
        {groups.map((group) => (
          <section key={group.key} className="grid gap-1.5" aria-labelledby={`palette-${group.key}`}>
            <h3 id={`palette-${group.key}`} className="text-muted-foreground text-[11px] font-medium tracking-wide uppercase">
              {t(`palette.groups.${group.key}`)}
            </h3>
            {group.types.map((type) => {
              const look = nodeLook[type];
              const Icon = look.icon;
              return (
                <button
                  key={type}
                  type="button"
                  draggable
                  onDragStart={(event) => {
                    event.dataTransfer.setData(dragType, type);
                    event.dataTransfer.effectAllowed = "move";
                  }}
                  onClick={() => onAdd(type)}
                  className="bg-card hover:border-ring focus-visible:ring-ring/50 flex cursor-grab items-start gap-2 rounded-md border p-2 text-left shadow-xs outline-none focus-visible:ring-[3px] active:cursor-grabbing"
                  data-testid={`palette-${type}`}
                  title={t(`typeHints.${type}`)}
                >
                  <span className={cn("flex size-7 shrink-0 items-center justify-center rounded-md", look.tone)}>
                    <Icon className="size-4" aria-hidden />
                  </span>
                  <span className="grid min-w-0 gap-0.5">
                    <span className="text-sm leading-tight font-medium">{t(`types.${type}`)}</span>
                    <span className="text-muted-foreground line-clamp-2 text-[11px] leading-snug">{t(`typeHints.${type}`)}</span>
                  </span>
                </button>
              );
            })}
          </section>
        ))}
      </div>
    </nav>
  );
}

"use client";

import { useState, type ReactNode } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { ArchiveIcon, ArrowLeftIcon, ChartColumnIcon, Loader2Icon, MoreHorizontalIcon, NetworkIcon, PauseIcon, PencilRulerIcon, PlayIcon, Redo2Icon, RocketIcon, SaveIcon, Trash2Icon, Undo2Icon } from "lucide-react";
import type { JourneyStatus } from "@/db/schema";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Separator } from "@/components/ui/separator";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { JourneyStatusBadge } from "./status-badge";

export type EditorMode = "build" | "results";

export interface ToolbarProps {
  backHref: string;
  name: string;
  status: JourneyStatus;
  version: number | null;
  mode: EditorMode;
  onMode: (mode: EditorMode) => void;
  canEdit: boolean;
  dirty: boolean;
  busy: string | null;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onSave: () => void;
  onPublish: () => void;
  onStatus: (action: "pause" | "resume" | "archive" | "remove") => void;
}

/** Back, status and version, Build/Results, then the edits (undo, redo, layout, save, publish) and what the state allows. */
export function EditorToolbar(props: ToolbarProps) {
  const t = useTranslations("journeys");
  const { status, version, mode, canEdit, busy } = props;
  const [confirm, setConfirm] = useState<"publish" | "archive" | "remove" | null>(null);
  const editing = mode === "build" && canEdit && status !== "archived";
  const spinner = (what: string, icon: ReactNode) => (busy === what ? <Loader2Icon className="animate-spin" /> : icon);

  return (
    <div className="flex flex-wrap items-center gap-2 border-b px-4 py-2" data-testid="journey-toolbar">
      <Button asChild variant="ghost" size="sm" className="-ml-2">
        <Link
          href={props.backHref}
          onClick={(event) => {
            if (props.dirty && !window.confirm(t("editor.leaveUnsaved"))) event.preventDefault();
          }}
        >
          <ArrowLeftIcon />
          {t("editor.back")}
        </Link>
      </Button>
      <JourneyStatusBadge status={status} />
      <span className="text-muted-foreground text-xs" data-testid="journey-version">
        {version ? t("editor.version", { version }) : t("editor.neverPublished")}
      </span>
      {editing ? (
        <span className="text-muted-foreground text-xs" aria-live="polite" data-testid="save-state">
          · {props.dirty ? t("editor.unsaved") : t("editor.saved")}
        </span>
      ) : null}
      {version ? (
        <div className="bg-muted ml-2 inline-flex rounded-md p-0.5" role="group" aria-label={t("editor.view")}>
          {(["build", "results"] as const).map((option) => (
            <Button
              key={option}
              type="button"
              size="sm"
              variant={mode === option ? "secondary" : "ghost"}
              className={mode === option ? "bg-background h-7 shadow-xs" : "h-7"}
              aria-pressed={mode === option}
              onClick={() => props.onMode(option)}
            >
              {option === "build" ? <PencilRulerIcon /> : <ChartColumnIcon />}
              {t(`editor.${option}`)}
            </Button>
          ))}
        </div>
      ) : null}

      <div className="ml-auto flex flex-wrap items-center gap-1.5">
        {editing ? (
          <>
            <IconButton label={t("editor.undo")} shortcut="Ctrl+Z" disabled={!props.canUndo} onClick={props.onUndo}>
              <Undo2Icon />
            </IconButton>
            <IconButton label={t("editor.redo")} shortcut="Ctrl+Shift+Z" disabled={!props.canRedo} onClick={props.onRedo}>
              <Redo2Icon />
            </IconButton>
            <IconButton label={t("editor.layout")} onClick={props.onLayout}>
              <NetworkIcon />
            </IconButton>
            <Separator orientation="vertical" className="mx-1 data-[orientation=vertical]:h-5" />
            <Button type="button" variant="outline" size="sm" onClick={props.onSave} disabled={busy !== null}>
              {spinner("save", <SaveIcon />)}
              {t("editor.save")}
            </Button>
            <Button type="button" size="sm" onClick={() => setConfirm("publish")} disabled={busy !== null}>
              {spinner("publish", <RocketIcon />)}
              {version ? t("editor.publishChanges") : t("editor.publish")}
            </Button>
          </>
        ) : null}
        {canEdit && status === "active" ? (
          <Button type="button" variant="outline" size="sm" onClick={() => props.onStatus("pause")} disabled={busy !== null}>
            {spinner("pause", <PauseIcon />)}
            {t("editor.pause")}
          </Button>
        ) : null}
        {canEdit && status === "paused" ? (
          <Button type="button" variant="outline" size="sm" onClick={() => props.onStatus("resume")} disabled={busy !== null}>
            {spinner("resume", <PlayIcon />)}
            {t("editor.resume")}
          </Button>
        ) : null}
        {canEdit && status !== "archived" ? (
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button type="button" variant="ghost" size="icon" className="size-8" aria-label={t("editor.more")}>
                <MoreHorizontalIcon />
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end">
              <DropdownMenuItem onSelect={() => setConfirm("archive")}>
                <ArchiveIcon />
                {t("editor.archive")}
              </DropdownMenuItem>
              {version === null ? (
                <DropdownMenuItem variant="destructive" onSelect={() => setConfirm("remove")}>
                  <Trash2Icon />
                  {t("editor.delete")}
                </DropdownMenuItem>
              ) : null}
            </DropdownMenuContent>
          </DropdownMenu>
        ) : null}
      </div>

      <Dialog open={confirm !== null} onOpenChange={(open) => (open ? null : setConfirm(null))}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>{confirm ? t(`confirm.${confirm}Title`, { name: props.name, version: (version ?? 0) + 1 }) : null}</DialogTitle>
            <DialogDescription>{confirm ? t(`confirm.${confirm === "publish" && version ? "publishAgain" : confirm}Body`, { next: (version ?? 0) + 1 }) : null}</DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                {t("confirm.cancel")}
              </Button>
            </DialogClose>
            <Button
              type="button"
              variant={confirm === "publish" ? "default" : "destructive"}
              onClick={() => {
                const what = confirm;
                setConfirm(null);
                if (what === "publish") props.onPublish();
                else if (what) props.onStatus(what);
              }}
            >
              {confirm ? t(`confirm.${confirm}`) : null}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </div>
  );
}

function IconButton({ label, shortcut, disabled, onClick, children }: { label: string; shortcut?: string; disabled?: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <Button type="button" variant="ghost" size="icon" className="size-8" aria-label={label} aria-keyshortcuts={shortcut?.replaceAll("Ctrl", "Control")} disabled={disabled} onClick={onClick}>
          {children}
        </Button>
      </TooltipTrigger>
      <TooltipContent>
        {label}
        {shortcut ? <kbd className="ml-2 font-mono text-[10px] opacity-70">{shortcut}</kbd> : null}
      </TooltipContent>
    </Tooltip>
  );
}

"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { ArchiveIcon, PauseIcon, PencilIcon, PlayIcon, Trash2Icon } from "lucide-react";
import { toast } from "sonner";
import type { MonitorStatus } from "@/db/schema";
import { Button } from "@/components/ui/button";
import { ConfirmButton, PlainButton, type Action } from "@/components/rewards/action-buttons";

/** The buttons a monitor's state allows: activate, pause, archive, edit, delete (a draft that never matched). */
export function MonitorActions({
  workspaceId,
  slug,
  monitor,
  actions,
}: {
  workspaceId: string;
  slug: string;
  monitor: { id: string; name: string; status: MonitorStatus; matches: number };
  actions: { status: Action<{ status: MonitorStatus }>; remove: Action };
}) {
  const t = useTranslations("monitors.actions");
  const router = useRouter();
  const base = `/w/${slug}/monitors`;
  const fields = { workspaceId, id: monitor.id };
  const done = (message: string) => () => {
    toast.success(message);
    router.refresh();
  };
  const { status } = monitor;
  return (
    <div className="flex flex-wrap items-start gap-2" data-testid="monitor-actions">
      {status === "draft" || status === "paused" ? (
        <ConfirmButton
          action={actions.status}
          fields={{ ...fields, to: "activate" }}
          label={status === "draft" ? t("activate") : t("resume")}
          icon={<PlayIcon />}
          title={t("activateTitle", { name: monitor.name })}
          body={t("activateBody")}
          confirm={status === "draft" ? t("activate") : t("resume")}
          onDone={done(t("activated"))}
          variant="default"
        />
      ) : null}
      {status === "active" ? <PlainButton action={actions.status} fields={{ ...fields, to: "pause" }} label={t("pause")} icon={<PauseIcon />} onDone={done(t("paused"))} /> : null}
      {status !== "archived" ? (
        <Button asChild variant="outline">
          <Link href={`${base}/${monitor.id}/edit`}>
            <PencilIcon />
            {t("edit")}
          </Link>
        </Button>
      ) : null}
      {status !== "archived" ? (
        <ConfirmButton
          action={actions.status}
          fields={{ ...fields, to: "archive" }}
          label={t("archive")}
          icon={<ArchiveIcon />}
          title={t("archiveTitle", { name: monitor.name })}
          body={t("archiveBody")}
          confirm={t("archive")}
          onDone={done(t("archived"))}
          variant="destructive"
          trigger="outline"
        />
      ) : null}
      {status === "draft" && monitor.matches === 0 ? (
        <ConfirmButton
          action={actions.remove}
          fields={fields}
          label={t("delete")}
          icon={<Trash2Icon />}
          title={t("deleteTitle", { name: monitor.name })}
          body={t("deleteBody")}
          confirm={t("delete")}
          onDone={() => {
            toast.success(t("deleted", { name: monitor.name }));
            router.push(base);
          }}
          variant="destructive"
          trigger="outline"
        />
      ) : null}
    </div>
  );
}

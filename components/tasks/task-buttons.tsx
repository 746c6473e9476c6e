"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { CheckIcon, HandIcon, RotateCcwIcon, XIcon } from "lucide-react";
import { toast } from "sonner";
import type { TaskStatus } from "@/db/schema";
import { PlainButton, type Action } from "@/components/rewards/action-buttons";

/** A task's buttons: mark done or cancel an open one, reopen a closed one, take one that is not yours. */
export function TaskButtons({ workspaceId, task, mine, action }: { workspaceId: string; task: { id: string; title: string; status: TaskStatus }; mine: boolean; action: Action<{ status: TaskStatus }> }) {
  const t = useTranslations("tasks.list");
  const router = useRouter();
  const fields = { workspaceId, id: task.id };
  const done = (message: string) => () => {
    toast.success(message);
    router.refresh();
  };
  return (
    <div className="flex flex-wrap justify-end gap-1.5" data-testid="task-buttons">
      {task.status === "open" ? (
        <>
          <PlainButton action={action} fields={{ ...fields, status: "done" }} label={t("markDone")} icon={<CheckIcon />} onDone={done(t("doneToast", { title: task.title }))} size="sm" variant="default" />
          {!mine ? <PlainButton action={action} fields={{ ...fields, assignee: "me" }} label={t("take")} icon={<HandIcon />} onDone={done(t("takenToast"))} size="sm" /> : null}
          <PlainButton action={action} fields={{ ...fields, status: "cancelled" }} label={t("cancel")} icon={<XIcon />} onDone={done(t("cancelledToast"))} size="sm" variant="ghost" />
        </>
      ) : (
        <PlainButton action={action} fields={{ ...fields, status: "open" }} label={t("reopen")} icon={<RotateCcwIcon />} onDone={done(t("reopenedToast"))} size="sm" />
      )}
    </div>
  );
}

import type { JobDefinition } from "./define-job";
import { eventProcess } from "./event-process";
import { eventSweep } from "./event-sweep";
import { inviteCleanup } from "./invite-cleanup";

// Every queue Tideline runs. A job listed here gets its queue, dead-letter queue,
// schedule and worker.
export const jobs: JobDefinition[] = [eventProcess, eventSweep, inviteCleanup];

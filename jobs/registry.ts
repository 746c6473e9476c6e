import { broadcastComplete } from "./broadcast-complete";
import { broadcastFanout } from "./broadcast-fanout";
import { broadcastWinner } from "./broadcast-winner";
import type { JobDefinition } from "./define-job";
import { eventProcess } from "./event-process";
import { eventSweep } from "./event-sweep";
import { importCsv } from "./import-csv";
import { inviteCleanup } from "./invite-cleanup";
import { journeyAdvance } from "./journey-advance";
import { journeyTick } from "./journey-tick";
import { pointsExpire } from "./points-expire";
import { scoreDecay } from "./score-decay";
import { scoreRecalculate } from "./score-recalculate";
import { messageSend } from "./message-send";
import { segmentRecompute } from "./segment-recompute";
import { segmentRefresh } from "./segment-refresh";

// Every queue Tideline runs. A job listed here gets its queue, dead-letter queue,
// schedule and worker.
export const jobs: JobDefinition[] = [segmentRecompute, segmentRefresh, eventProcess, eventSweep, inviteCleanup, importCsv, messageSend, broadcastFanout, broadcastWinner, broadcastComplete, journeyAdvance, journeyTick, pointsExpire, scoreDecay, scoreRecalculate];

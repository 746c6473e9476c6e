import { batchRoute, preflight } from "@/lib/tracking/route";

// POST /api/v1/batch: many Segment calls at once (write key)
export const POST = batchRoute();
export const OPTIONS = preflight;

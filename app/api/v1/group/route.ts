import { preflight, singleCallRoute } from "@/lib/tracking/route";

// POST /api/v1/group: a Segment group call (write key)
export const POST = singleCallRoute("group");
export const OPTIONS = preflight;

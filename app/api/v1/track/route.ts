import { preflight, singleCallRoute } from "@/lib/tracking/route";

// POST /api/v1/track: a Segment track call (write key)
export const POST = singleCallRoute("track");
export const OPTIONS = preflight;

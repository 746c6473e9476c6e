import { preflight, singleCallRoute } from "@/lib/tracking/route";

// POST /api/v1/identify: a Segment identify call (write key)
export const POST = singleCallRoute("identify");
export const OPTIONS = preflight;

import { preflight, singleCallRoute } from "@/lib/tracking/route";

// POST /api/v1/alias: a Segment alias call (write key)
export const POST = singleCallRoute("alias");
export const OPTIONS = preflight;

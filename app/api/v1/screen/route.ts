import { preflight, singleCallRoute } from "@/lib/tracking/route";

// POST /api/v1/screen: a Segment screen call (write key)
export const POST = singleCallRoute("screen");
export const OPTIONS = preflight;

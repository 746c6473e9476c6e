import { preflight, singleCallRoute } from "@/lib/tracking/route";

// POST /api/v1/page: a Segment page call (write key)
export const POST = singleCallRoute("page");
export const OPTIONS = preflight;

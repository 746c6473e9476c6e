import { pixelResponse, recordPixel } from "@/lib/tracking/pixel";

// GET /t/p.gif?k=WRITE_KEY&e=…: a tracking call as a 1×1 image (docs/tracking.md)
export async function GET(request: Request) {
  return pixelResponse(await recordPixel(request));
}

// HEAD /t/p.gif?…: the same checks and answer, without recording (for testing a pixel URL)
export async function HEAD(request: Request) {
  return pixelResponse(await recordPixel(request, { store: false }));
}

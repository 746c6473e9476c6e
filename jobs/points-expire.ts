import { z } from "zod";
import { expirePoints } from "@/lib/rewards/points";
import { defineJob } from "./define-job";

// Every ten minutes: what is left of point awards whose expiry date has passed leaves the
// balance, as an `expiry` transaction per award (keyed, so a retry expires nothing twice).
export const pointsExpire = defineJob({
  name: "points.expire",
  schema: z.object({}).passthrough(),
  options: { cron: "*/10 * * * *", retryLimit: 2 },
  async handle(_data, { db }) {
    let expired = 0;
    for (;;) {
      const batch = await expirePoints(db, new Date(), 1000);
      expired += batch;
      if (batch < 1000) return { expired };
    }
  },
});

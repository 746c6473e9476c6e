import { timingSafeEqual } from "node:crypto";
import { getDatabase } from "@/db/client";
import { errorResponse } from "@/lib/api/errors";
import { AppError } from "@/lib/errors";
import { getBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import { drainJobs } from "@/jobs/run";

export const maxDuration = 60;

function authorized(header: string | null): boolean {
  const secret = process.env.CRON_SECRET;
  if (!secret || !header) return false;
  const expected = Buffer.from(`Bearer ${secret}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// GET /api/cron/jobs: drains due jobs for hosts without a long-running worker (Vercel cron)
export async function GET(request: Request) {
  try {
    if (!process.env.CRON_SECRET) throw new AppError("forbidden", "Set CRON_SECRET to enable the jobs cron route.");
    if (!authorized(request.headers.get("authorization"))) {
      throw new AppError("unauthorized", "Send `Authorization: Bearer <CRON_SECRET>`.");
    }
    const boss = await getBoss();
    const budgetMs = Math.min(Number(new URL(request.url).searchParams.get("budgetMs") ?? 45_000), 55_000);
    const started = Date.now();
    const report = await drainJobs(boss, await getDatabase(), jobs, budgetMs);
    await boss.maintain();
    return Response.json({ ok: true, ms: Date.now() - started, queues: report });
  } catch (error) {
    return errorResponse(error);
  }
}

import type { z } from "zod";
import type { Database, Db } from "../db/client";

export interface JobContext {
  database: Database;
  db: Db;
  jobId: string;
  /** 0 on the first attempt, then 1, 2, … on retries. */
  attempt: number;
}

export interface JobOptions {
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  /** Jobs fetched per poll; the handler still runs once per job. */
  batchSize?: number;
  /** Workers of this queue in each process, each fetching its own batches. */
  concurrency?: number;
  /** Cron expression for a recurring job (pg-boss schedule, UTC). */
  cron?: string;
  /** pg-boss queue policy; `stately` keeps at most one queued and one active job per singletonKey. */
  policy?: "standard" | "short" | "singleton" | "stately";
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  schema: S;
  options: Required<Omit<JobOptions, "cron">> & { cron?: string };
  handle(data: z.output<S>, context: JobContext): Promise<unknown>;
}

const defaults = {
  retryLimit: 5,
  retryDelaySeconds: 5,
  retryBackoff: true,
  expireInSeconds: 15 * 60,
  batchSize: 5,
  concurrency: 1,
  policy: "standard" as const,
};

export function defineJob<S extends z.ZodType>(job: {
  name: string;
  schema: S;
  options?: JobOptions;
  handle(data: z.output<S>, context: JobContext): Promise<unknown>;
}): JobDefinition<S> {
  return { ...job, options: { ...defaults, ...job.options } };
}

export function deadLetterQueue(name: string): string {
  return `${name}.dead`;
}

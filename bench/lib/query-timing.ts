// Where a job's time goes, query by query: a postgres.js client wrapped so that every query
// drizzle sends (through `unsafe`, also inside transactions and savepoints) is timed from the
// call to its result, and labelled by its SQL text (the caller cannot be read from the stack:
// drizzle's queries start in a microtask after the caller's `await`). Queries of one job run
// one after the other, so the sum of their times is the time spent waiting on round trips and
// Postgres; what is left of the wall time is JavaScript and the event loop. BEGIN and COMMIT
// (sent by postgres.js itself) are not counted.
import type postgres from "postgres";

export interface QueryStat {
  /** What the query is for, by its text. */
  label: string;
  text: string;
  count: number;
  ms: number;
}

export class QueryTimer {
  private stats = new Map<string, QueryStat>();
  recording = false;

  constructor(private readonly labelOf: (text: string) => string) {}

  /** The client to give drizzle: same queries, timed while `recording`. */
  wrap(client: postgres.Sql): postgres.Sql {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const timer = this;
    const wrapScope = <F extends (...args: never[]) => unknown>(begin: F) =>
      (...args: unknown[]) => {
        const body = args.at(-1) as (sql: postgres.Sql) => unknown;
        return (begin as unknown as (...rest: unknown[]) => unknown)(...args.slice(0, -1), (sql: postgres.Sql) => body(timer.wrap(sql)));
      };
    return new Proxy(client, {
      get(target, property, receiver) {
        if (property === "unsafe") {
          return (text: string, params?: unknown[], options?: postgres.UnsafeQueryOptions) => {
            const query = target.unsafe(text, params as postgres.ParameterOrJSON<never>[], options);
            if (timer.recording) {
              const stat = timer.stat(text);
              const started = performance.now();
              const done = () => {
                stat.count += 1;
                stat.ms += performance.now() - started;
              };
              // The query runs a microtask later (postgres.js), so drizzle's `.values()` still applies.
              query.then(done, done);
            }
            return query;
          };
        }
        if (property === "begin" || property === "savepoint") return wrapScope(Reflect.get(target, property, receiver) as (...args: never[]) => unknown);
        return Reflect.get(target, property, receiver);
      },
    });
  }

  private stat(text: string): QueryStat {
    let stat = this.stats.get(text);
    if (!stat) {
      stat = { label: this.labelOf(text), text, count: 0, ms: 0 };
      this.stats.set(text, stat);
    }
    return stat;
  }

  /** Takes what was recorded since the last call. */
  take(): QueryStat[] {
    const taken = [...this.stats.values()].filter((stat) => stat.count > 0);
    this.stats = new Map();
    return taken;
  }
}

/** Stats summed by label, largest first. */
export function byLabel(stats: QueryStat[]): Array<{ label: string; count: number; ms: number }> {
  const sums = new Map<string, { label: string; count: number; ms: number }>();
  for (const stat of stats) {
    const sum = sums.get(stat.label) ?? { label: stat.label, count: 0, ms: 0 };
    sum.count += stat.count;
    sum.ms += stat.ms;
    sums.set(stat.label, sum);
  }
  return [...sums.values()].sort((a, b) => b.ms - a.ms);
}

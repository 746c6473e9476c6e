// drizzle runs every query unprepared, and postgres.js then sends each parameterised statement
// twice: once to learn its parameter types (Parse, Describe) and once to run it (Parse again,
// Bind, Execute). Prepared, a statement is parsed once per connection and runs in one round
// trip. postgres.js keeps a connection's prepared statements until the connection closes, so
// only the first `limit` distinct statement texts a process sees are prepared: the fixed-shape
// queries of ingestion, sending and the engines, which come back millions of times. Texts that
// differ per call (a list of a thousand ids written out) still run, unprepared, once the limit
// is reached, and no connection ever holds more than `limit` statements.

export interface StatementPolicy {
  shouldPrepare(query: string): boolean;
  readonly prepared: number;
}

export function boundedStatements(limit = 2000, maxLength = 20_000): StatementPolicy {
  const known = new Set<string>();
  return {
    shouldPrepare(query) {
      if (known.has(query)) return true;
      if (known.size >= limit || query.length > maxLength) return false;
      known.add(query);
      return true;
    },
    get prepared() {
      return known.size;
    },
  };
}

type Callback = (sql: object) => unknown;

/**
 * The postgres.js client as drizzle sees it, with `unsafe` (every drizzle query) prepared by
 * the policy; transactions and savepoints hand out clients wrapped the same way.
 */
export function preparingClient<T extends object>(client: T, policy: StatementPolicy): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (property === "unsafe") {
        return (query: string, parameters?: unknown[], options?: { prepare?: boolean }) =>
          value.call(target, query, parameters, { ...options, prepare: options?.prepare === true || policy.shouldPrepare(query) });
      }
      if (property === "begin" || property === "savepoint") {
        return (...args: unknown[]) => {
          const at = args.findIndex((arg) => typeof arg === "function");
          if (at >= 0) {
            const callback = args[at] as Callback;
            args[at] = (scoped: object) => callback(preparingClient(scoped, policy));
          }
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
}

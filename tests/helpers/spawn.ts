import { spawn, type ChildProcess } from "node:child_process";

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npx tsx <script> ...args` from the project root the way an operator would, with
 * `env` on top of this process's environment (a value of `undefined` removes the variable).
 * Asynchronous, so a database this process holds keeps answering meanwhile.
 */
export function runTsx(script: string, args: string[], env: Record<string, string | undefined>): Promise<Finished> {
  const merged: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", script, ...args], {
      cwd: process.cwd(),
      env: merged,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
  /** Signals the worker's whole process group (tsx runs the script in a child of its own). */
  kill: (signal: NodeJS.Signals) => void;
}

/** `npm run worker` against a Postgres URL, in its own process group so a SIGKILL reaches every process of it. */
export function startWorker(url: string): WorkerProcess {
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "jobs/worker.ts"], {
    env: { ...process.env, DATABASE_URL: url, APP_URL: "https://mkt.example.test" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  return { child, kill, output: () => output, exited };
}

import { spawn } from "node:child_process";

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

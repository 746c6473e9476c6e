// Starts the job workers inside the Next.js server (the default, and the only way with the
// embedded database). Set JOBS_IN_WEB=false when separate `npm run worker` processes run them.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  if (process.env.JOBS_IN_WEB === "false") return;
  const { startWorkerProcess } = await import("./jobs/worker");
  try {
    await startWorkerProcess();
  } catch (error) {
    console.error(`[tideline] workers did not start: ${error instanceof Error ? error.message : error}`);
  }
}

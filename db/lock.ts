import fs from "node:fs";
import path from "node:path";

export class DataDirLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is already open in process ${pid}. ` +
        `Only one process may open it at a time: stop that process (for example a running \`npm run dev\`), ` +
        `or set DATABASE_URL to use a Postgres server that many processes can share.`,
    );
    this.name = "DataDirLockedError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// Two processes writing one PGlite data directory silently corrupt it, so the first
// opener holds a pid file and every other opener is refused until that process exits.
const openHere = ((globalThis as { tidelineOpenDataDirs?: Set<string> }).tidelineOpenDataDirs ??= new Set<string>());

export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "tideline.lock");
  if (openHere.has(file)) throw new DataDirLockedError(dataDir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      openHere.add(file);
      const release = () => {
        openHere.delete(file);
        try {
          if (fs.readFileSync(file, "utf8") === String(process.pid)) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(fs.readFileSync(file, "utf8"), 10);
      if (holder === process.pid && !openHere.has(file)) {
        fs.rmSync(file, { force: true }); // left by this process's own earlier, closed handle
        continue;
      }
      if (Number.isFinite(holder) && isAlive(holder)) throw new DataDirLockedError(dataDir, holder);
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not take the lock on ${dataDir}`);
}

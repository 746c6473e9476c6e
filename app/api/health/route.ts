import { sql } from "drizzle-orm";
import { getDatabase } from "@/db/client";

// GET /api/health: the database answers (for load balancers and uptime checks)
export async function GET() {
  try {
    const database = await getDatabase();
    await database.db.execute(sql`select 1`);
    return Response.json({ ok: true, database: database.kind });
  } catch (error) {
    return Response.json({ ok: false, error: (error as Error).message }, { status: 503 });
  }
}

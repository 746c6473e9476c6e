import { openDatabase } from "../db/client";

// npm run db:migrate: applies pending migrations to DATABASE_URL, or to the embedded database.
async function main() {
  const database = await openDatabase({ url: process.env.DATABASE_URL || undefined });
  await database.close();
  console.log(`Migrations applied (${database.kind}).`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

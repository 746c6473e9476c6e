import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { openDatabase, type Database } from "../db/client";
import { createApiKey } from "../db/queries/api-keys";
import { workspaces } from "../db/schema";
import { AppError } from "../lib/errors";
import { setupSchema } from "../lib/validation/accounts";
import { ensureOwnerWorkspace, type SetupInput } from "../lib/workspaces/create";
import errorMessages from "../lib/i18n/messages/en/errors.json";

const usage = `Tideline CLI

  npm run cli -- setup --email E --password P --workspace NAME [--name N] [--timezone TZ]
      Creates (or reuses) the owner and the workspace; prints {"workspaceId","writeKey","secretKey"}.
  npm run cli -- keys create --workspace ID [--name NAME]
      Creates a secret key; prints {"workspaceId","secretKey"}.

Uses DATABASE_URL, or the embedded database in DATA_DIR (default .data/), which must not be
open in another process (stop npm run dev first).`;

class UsageError extends Error {}

// Validation messages are keys shared with the UI; the CLI speaks their English text.
function explain(message: string): string {
  const known = (errorMessages.validation as Record<string, string>)[message];
  return known ?? message;
}

function parseSetup(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: "string" },
      password: { type: "string" },
      workspace: { type: "string" },
      name: { type: "string" },
      timezone: { type: "string" },
    },
  });
  const parsed = setupSchema.safeParse({
    email: values.email,
    password: values.password,
    workspaceName: values.workspace,
    name: values.name,
    timezone: values.timezone,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--${cliFlag(String(issue.path[0]))}: ${explain(issue.message)}`);
  }
  return parsed.data;
}

async function setup(database: Database, input: SetupInput) {
  const result = await ensureOwnerWorkspace(database.db, input);
  return { workspaceId: result.workspace.id, writeKey: result.writeKey, secretKey: result.secretKey };
}

function cliFlag(field: string): string {
  return field === "workspaceName" ? "workspace" : field;
}

function parseKeys(args: string[]) {
  const [action, ...rest] = args;
  if (action !== "create") throw new UsageError(`Unknown keys command: ${action ?? "(none)"}`);
  const { values } = parseArgs({ args: rest, options: { workspace: { type: "string" }, name: { type: "string" } } });
  if (!values.workspace) throw new UsageError("--workspace ID is required");
  return { workspace: values.workspace, name: values.name };
}

async function keys(database: Database, values: { workspace: string; name?: string }) {
  const [workspace] = /^[0-9a-f-]{36}$/i.test(values.workspace)
    ? await database.db.select().from(workspaces).where(eq(workspaces.id, values.workspace))
    : [];
  if (!workspace) throw new UsageError(`No workspace with id ${values.workspace}`);
  const { token } = await createApiKey(database.db, {
    workspaceId: workspace.id,
    kind: "secret",
    name: values.name || "CLI",
  });
  return { workspaceId: workspace.id, secretKey: token };
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help") {
    console.log(usage);
    return 0;
  }
  if (command !== "setup" && command !== "keys") throw new UsageError(`Unknown command: ${command}`);
  // Arguments are checked before the database is opened, so a typo never waits on (or locks) it.
  const input = command === "setup" ? { setup: parseSetup(rest) } : { keys: parseKeys(rest) };
  const database = await openDatabase({ url: process.env.DATABASE_URL || undefined });
  try {
    const output = input.setup ? await setup(database, input.setup) : await keys(database, input.keys!);
    console.log(JSON.stringify(output));
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${usage}`);
    else if (error instanceof AppError || error instanceof Error) console.error(error.message);
    else console.error(error);
    process.exit(error instanceof UsageError ? 2 : 1);
  });

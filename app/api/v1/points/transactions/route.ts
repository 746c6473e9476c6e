import { withSecretKey } from "@/lib/api/handler";
import { requireContactIdByRef } from "@/lib/contacts/refs";
import { transactionJson } from "@/lib/rewards/api";
import { searchLedger } from "@/lib/rewards/points";
import { ledgerQuerySchema } from "@/lib/validation/rewards";

// GET /api/v1/points/transactions: the workspace's ledger, newest first, paged with `before`; `contact`, `source`
export const GET = withSecretKey(async (request, { db, workspace }) => {
  const query = ledgerQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  const contactId = query.contact ? await requireContactIdByRef(db, workspace.id, query.contact) : undefined;
  const page = await searchLedger(db, workspace.id, { contactId, source: query.source, limit: query.limit, before: query.before });
  return { data: page.transactions.map((row) => transactionJson(row)), next_before: page.nextBefore };
});

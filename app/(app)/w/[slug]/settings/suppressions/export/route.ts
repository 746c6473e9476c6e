import { checkMembership } from "@/lib/auth/session";
import { listSuppressions } from "@/lib/messages/suppressions";

const cell = (value: string | null) => {
  const text = value ?? "";
  // Quoted per RFC 4180; a leading = + - @ is defused so a spreadsheet does not run it.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
};

// GET /w/<slug>/settings/suppressions/export?q=: the suppression list as CSV (admins)
export async function GET(request: Request, route: { params: Promise<{ slug: string }> }) {
  const { slug } = await route.params;
  const check = await checkMembership({ slug }, "admin");
  if (!check.ok) return new Response(check.reason === "signed_out" ? "Sign in first." : "Not allowed.", { status: check.reason === "signed_out" ? 401 : 403 });
  const { db, workspace } = check.context;
  const q = new URL(request.url).searchParams.get("q") || undefined;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode("channel,address,reason,details,created_at\r\n"));
      let cursor: string | undefined;
      do {
        const page = await listSuppressions(db, { workspaceId: workspace.id, q, cursor, limit: 500 });
        const lines = page.suppressions.map((row) => [row.channel, row.address, row.reason, row.details, row.createdAt.toISOString()].map(cell).join(",")).join("\r\n");
        if (lines) controller.enqueue(encoder.encode(`${lines}\r\n`));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      controller.close();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="suppressions-${workspace.slug}.csv"`,
      "cache-control": "no-store",
    },
  });
}

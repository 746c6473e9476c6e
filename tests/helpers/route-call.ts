import { NextRequest } from "next/server";

export type RouteHandler = (request: NextRequest, route: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface RouteCall {
  token?: string;
  body?: unknown;
  /** Sent as it is (for malformed JSON). */
  raw?: string;
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
}

/** Calls a route handler the way Next.js would, and reads its JSON reply. */
export async function callRoute(handler: RouteHandler, method: string, path: string, init: RouteCall = {}) {
  const url = new URL(`http://localhost${path}`);
  for (const [name, value] of Object.entries(init.query ?? {})) url.searchParams.set(name, String(value));
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const response = await handler(new NextRequest(url, { method, headers, body }), { params: Promise.resolve(init.params ?? {}) });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, json: (text ? JSON.parse(text) : null) as any, headers: response.headers };
}

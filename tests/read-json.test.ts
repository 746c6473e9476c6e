import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readJson } from "@/lib/api/handler";

function post(body: BodyInit, headers: Record<string, string> = {}) {
  return new Request("http://localhost/api/v1/contacts", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

describe("reading a JSON body", () => {
  it("refuses a NUL character with the path where it is, since Postgres cannot store it", async () => {
    await expect(readJson(post(JSON.stringify({ attributes: { nick: "a\u0000b" } })))).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("attributes.nick contains a NUL character"),
    });
    await expect(readJson(post(JSON.stringify({ a: "\u0000" })), 1024, { allowNul: true })).resolves.toEqual({ a: "\u0000" });
  });

  it("reads gzip bodies and measures them after decompression", async () => {
    const body = JSON.stringify({ batch: [{ type: "track", event: "x".repeat(2000) }] });
    await expect(readJson(post(gzipSync(body), { "content-encoding": "gzip" }), 4096)).resolves.toMatchObject({ batch: [{ type: "track" }] });
    await expect(readJson(post(gzipSync(body), { "content-encoding": "gzip" }), 1024)).rejects.toMatchObject({ status: 413 });
    await expect(readJson(post("not gzip", { "content-encoding": "gzip" }))).rejects.toMatchObject({ status: 400 });
    await expect(readJson(post(body, { "content-encoding": "br" }))).rejects.toMatchObject({ status: 400 });
  });

  it("cuts off a streamed body without Content-Length at the limit", async () => {
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("x".repeat(1000)));
        controller.close();
      },
    });
    await expect(readJson(post(stream), 4096)).rejects.toMatchObject({ status: 413, code: "payload_too_large" });
  });
});

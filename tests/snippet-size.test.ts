import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Linter } from "eslint";
import { loaderSnippet } from "@/lib/tracking/snippet";

const source = fs.readFileSync(path.join(process.cwd(), "public/t.js"), "utf8");

// The browser APIs t.js may use; anything else is a typo or a dependency on the host page.
const browserGlobals = [
  "window", "document", "location", "navigator", "screen", "history", "console", "setTimeout", "clearTimeout",
  "fetch", "Blob", "URL", "URLSearchParams", "TextEncoder", "addEventListener",
];

function problems(code: string, ecmaVersion: 5 | 2017) {
  const linter = new Linter({ configType: "flat" });
  const globals = Object.fromEntries([...browserGlobals, "tideline"].map((name) => [name, "readonly" as const]));
  return linter
    .verify(code, [
      {
        languageOptions: { ecmaVersion, sourceType: "script", globals },
        rules: { "no-undef": "error" },
      },
    ])
    // Parse errors and undeclared names; t.js's own comment configures the project's linter.
    .filter((message) => message.fatal || message.ruleId === "no-undef")
    .map((message) => `${message.line}:${message.column} ${message.message}`);
}

describe("the tracking snippet", () => {
  it("stays under 5 KB gzipped", () => {
    const gzipped = gzipSync(source).byteLength;
    console.log(`[snippet] public/t.js: ${source.length} bytes, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThan(5 * 1024);
  });

  it("is plain ES2017 that uses no undeclared global", () => {
    expect(problems(source, 2017)).toEqual([]);
  });

  it("has a loader stub in ES5 that any browser can run, the same one the docs show", () => {
    const snippet = loaderSnippet({ appUrl: "https://mkt.example.com/", writeKey: "wk_YOUR_WRITE_KEY" });
    const stub = /<script>([\s\S]*)<\/script>/.exec(snippet)?.[1] ?? "";
    expect(problems(stub, 5)).toEqual([]);
    expect(snippet).toContain('"https://mkt.example.com/t.js"');
    expect(snippet).toContain('tideline.load("wk_YOUR_WRITE_KEY", { host: "https://mkt.example.com" })');
    const docs = fs.readFileSync(path.join(process.cwd(), "docs/tracking.md"), "utf8");
    expect(docs).toContain(snippet);
  });

  it("cannot be broken out of its <script> by the values put into it", () => {
    const snippet = loaderSnippet({ appUrl: "https://x.example", writeKey: "wk_</script><script>alert(1)" });
    expect(snippet.match(/<\/script>/g)).toHaveLength(1);
  });
});

import { localeFromAcceptLanguage } from "@/lib/i18n/locales";
import { preferencesTranslator } from "./translator";

// A bare HTML page for answers given by route handlers (a click link that is not ours), in
// the reader's language. Pages with more to say are React pages under app/u/.
export async function noticePage(request: Request, status: number, key: "linkInvalidTitle" | "unsubscribedTitle", bodyKey: "linkInvalidBody" | "unsubscribedBody") {
  const locale = localeFromAcceptLanguage(request.headers.get("accept-language"));
  const t = await preferencesTranslator(locale);
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escape(t(key))}</title>
<style>body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei",sans-serif;background:#fafafa;color:#18181b;display:grid;place-items:center;min-height:100vh;margin:0}main{max-width:28rem;margin:1rem;padding:2rem;background:#fff;border:1px solid #e4e4e7;border-radius:.75rem}h1{font-size:1.25rem;margin:0 0 .5rem}p{color:#52525b;margin:0;line-height:1.5}</style></head>
<body><main><h1>${escape(t(key))}</h1><p>${escape(t(bodyKey))}</p></main></body></html>`;
  return new Response(html, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-robots-tag": "noindex" },
  });
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

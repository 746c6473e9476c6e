// The loader a customer pastes into their pages: it defines `window.tideline` as a queue at
// once (so calls made before t.js arrives are kept and replayed), loads t.js without blocking
// the page, and passes the write key. docs/tracking.md shows the same text (a test checks).

// Values go inside a <script>: JSON quoting, and no `<` that could close the element early.
const scriptValue = (value: string) => JSON.stringify(value).replaceAll("<", "\\u003c");

/** The copy-paste install snippet for a workspace's write key, served from `appUrl`. */
export function loaderSnippet({ appUrl, writeKey }: { appUrl: string; writeKey: string }): string {
  const host = appUrl.replace(/\/+$/, "");
  return `<script>
  !(function (w, d, src) {
    var t = (w.tideline = w.tideline || []);
    if (t.loaded || t.stub) return;
    t.stub = true;
    var methods = ["load", "identify", "track", "page", "reset"];
    methods.forEach(function (m) {
      t[m] = function () {
        t.push([m].concat([].slice.call(arguments)));
      };
    });
    var s = d.createElement("script");
    s.async = true;
    s.src = src;
    d.head.appendChild(s);
  })(window, document, ${scriptValue(`${host}/t.js`)});
  tideline.load(${scriptValue(writeKey)}, { host: ${scriptValue(host)} });
</script>`;
}

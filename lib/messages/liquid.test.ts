import { describe, expect, it } from "vitest";
import { Liquid } from "liquidjs";
import { CompiledCache, liquidError, renderLiquid, restoreLiquidTags } from "./liquid";

describe("liquid", () => {
  it("renders defaults for missing and empty values, never undefined", () => {
    const scope = { contact: { first_name: null, attributes: {} } };
    expect(renderLiquid('Hi {{ contact.first_name | default: "there" }}', "text", scope)).toBe("Hi there");
    expect(renderLiquid("[{{ contact.attributes.plan }}][{{ nothing.at.all }}]", "text", scope)).toBe("[][]");
    expect(renderLiquid("{{ contact.email }}", "html", scope)).toBe("");
  });

  it("escapes output in html mode only, and keeps the raw filter's meaning", () => {
    const scope = { name: '<a href="x">&' };
    expect(renderLiquid("{{ name }}", "html", scope)).toBe("&lt;a href=&#34;x&#34;&gt;&amp;");
    expect(renderLiquid("{{ name }}", "text", scope)).toBe('<a href="x">&');
  });

  it("refuses to read files through include or render", () => {
    expect(() => renderLiquid('{% include "/etc/passwd" %}', "text", {})).toThrow();
    expect(() => renderLiquid('{% render "package.json" %}', "text", {})).toThrow();
  });

  it("reads only own properties (no prototype walks)", () => {
    expect(renderLiquid("[{{ contact.constructor.name }}]", "text", { contact: {} })).toBe("[]");
  });

  it("names the parse error", () => {
    expect(liquidError("{{ a ")).toMatch(/not closed|output/i);
    expect(liquidError("{% if x %}")).toMatch(/not closed|if/i);
    expect(liquidError("{{ a | default: 'b' }}")).toBeUndefined();
  });

  it("puts back entities React added inside Liquid tags, and only there", () => {
    const html = '<p title="&quot;q&quot;">{{ a | default: &quot;b &amp; c&quot; }} &amp; {% if x == &#x27;y&#x27; %}1{% endif %}</p>';
    expect(restoreLiquidTags(html)).toBe('<p title="&quot;q&quot;">{{ a | default: "b & c" }} &amp; {% if x == \'y\' %}1{% endif %}</p>');
  });

  it("renders layouts of output tags the same as liquidjs does, whitespace control and raw included", () => {
    const scope = { a: "x<y", b: null, list: [1, 2] };
    const cases = ["[{{ a }}]", "[ {{- a -}} ]", "{{ b | default: 'd' }}{{ a | upcase }}{{ a }}", "{{ a | raw }}", "{{ list | join: '-' }}", "{{ a | append: '}' }}"];
    for (const source of cases) {
      for (const mode of ["html", "text"] as const) {
        const expected = mode === "html" ? new Liquid({ outputEscape: "escape" }).parseAndRenderSync(source, scope) : new Liquid().parseAndRenderSync(source, scope);
        expect(renderLiquid(source, mode, scope), `${mode}: ${source}`).toBe(expected);
      }
    }
  });

  it("falls back to liquidjs for templates with tags", () => {
    const source = "{% if vip %}Dear {{ name }}{% else %}Hi {{ name }}{% endif %}";
    expect(renderLiquid(source, "html", { vip: true, name: "<A>" })).toBe("Dear &lt;A&gt;");
    expect(renderLiquid(source, "text", { vip: false, name: "<A>" })).toBe("Hi <A>");
  });

  it("keeps a bounded LRU", () => {
    const cache = new CompiledCache<number>(2);
    let made = 0;
    const make = () => ++made;
    cache.get("a", make);
    cache.get("b", make);
    cache.get("a", make);
    cache.get("c", make);
    expect(cache.get("a", make)).toBe(1);
    expect(cache.get("b", make)).toBe(4);
  });
});

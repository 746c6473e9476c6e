import { Fragment, createElement, type ComponentType, type ReactNode } from "react";
import { render } from "@react-email/render";
import { Editor, type AnyExtension, type JSONContent } from "@tiptap/core";
import { EmailMark, EmailNode } from "@react-email/editor/core";
import { StarterKit } from "@react-email/editor/extensions";
import { EmailTheming } from "@react-email/editor/plugins";
import { Layout } from "@/emails/components/layout";
import { AppError } from "@/lib/errors";

// The visual editor (@react-email/editor) keeps a Tiptap document; each node type knows how to
// render itself as react-email components. The server loads the same extensions into a headless
// editor (no DOM: `element: null`) to read the schema and the theme, then walks the document into
// our shared Layout, so visual templates get the same footer as code ones.
export const visualExtensions = () => [StarterKit.configure(), EmailTheming.configure({ theme: "basic" })] as unknown as AnyExtension[];

type SerializerPlugin = { getNodeStyles(node: JSONContent, depth: number, editor: Editor): Record<string, unknown> };

function openEditor(document: JSONContent): Editor {
  try {
    return new Editor({ element: null, extensions: visualExtensions(), content: document, enableContentCheck: true, onContentError: ({ error }) => { throw error; } });
  } catch (error) {
    throw new AppError("validation_failed", `content.document is not a document of the visual editor: ${(error as Error).message}`, [
      { path: "content.document", message: (error as Error).message },
    ]);
  }
}

const listNodes = new Set(["bulletList", "orderedList"]);

/** The visual document rendered through react-email inside the shared layout (HTML). */
export async function renderVisual(document: JSONContent, options: { preheader?: string | null; transactional?: boolean }): Promise<string> {
  const editor = openEditor(document);
  try {
    const extensions = editor.extensionManager.extensions;
    const byName = new Map(extensions.map((extension) => [extension.name, extension]));
    const plugin = extensions.map((extension) => (extension.options as { serializerPlugin?: SerializerPlugin })?.serializerPlugin).filter(Boolean).at(-1);
    const rank = (name: string) => (editor.schema.marks[name] as unknown as { rank?: number } | undefined)?.rank ?? Number.MAX_SAFE_INTEGER;
    const data = editor.getJSON();

    const walk = (nodes: JSONContent[] | undefined, depth: number): ReactNode[] | undefined =>
      nodes?.map((node, index) => {
        const extension = node.type ? byName.get(node.type) : undefined;
        if (!(extension instanceof EmailNode)) return null;
        const style = plugin?.getNodeStyles(node, depth, editor) ?? {};
        let element: ReactNode = node.text
          ? node.text
          : createElement(extension.config.renderToReactEmail as ComponentType<Record<string, unknown>>, { node, style, extension }, walk(node.content, listNodes.has(node.type!) ? depth + 1 : depth));
        for (const mark of [...(node.marks ?? [])].sort((a, b) => rank(b.type) - rank(a.type))) {
          const markExtension = byName.get(mark.type);
          if (!(markExtension instanceof EmailMark)) continue;
          const markStyle = plugin?.getNodeStyles({ type: mark.type, attrs: mark.attrs ?? {} }, depth, editor) ?? {};
          element = createElement(markExtension.config.renderToReactEmail as ComponentType<Record<string, unknown>>, { mark, node, style: markStyle, extension: markExtension }, element);
        }
        return createElement(Fragment, { key: index }, element);
      });

    return await render(createElement(Layout, { preheader: options.preheader, transactional: options.transactional }, walk(data.content, 0)));
  } finally {
    editor.destroy();
  }
}

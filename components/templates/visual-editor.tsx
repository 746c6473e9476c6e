"use client";

import { EmailEditor } from "@react-email/editor";
import type { JSONContent } from "@tiptap/core";
import "@react-email/editor/themes/default.css";

/** @react-email/editor in our page: its document is what the template version stores. */
export default function VisualEditor({ document, editable, onChange, label }: { document: JSONContent; editable: boolean; onChange: (document: JSONContent) => void; label: string }) {
  return (
    <div className="bg-background overflow-x-auto rounded-md border p-4" data-testid="visual-editor" aria-label={label}>
      <EmailEditor content={document} editable={editable} onUpdate={(ref) => onChange(ref.getJSON())} className="min-h-64 text-base outline-none [&_.tiptap]:min-h-64 [&_.tiptap]:outline-none" />
    </div>
  );
}

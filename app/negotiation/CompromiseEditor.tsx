import { useState } from "react";
import type { JSONContent } from "@tiptap/core";
import { EditorContent, useEditor } from "@tiptap/react";
import { proposalExtensions } from "~/statement/proposal-schema";

/**
 * The chair's compromise text, written in the proposals' own editor (the same schema: paragraphs,
 * lists, italic and bold), so that what the chair writes, the italic opening words included, is
 * what the compromise holds. The form sends the editor's content as JSON; the server reads it with
 * the proposal schema and refuses what it does not hold.
 */
export function CompromiseEditor({
  initial,
  name,
  labelledBy,
  maxLength,
}: {
  initial: JSONContent[];
  name: string;
  labelledBy: string;
  /** The server's limit, shown as the chair writes (a compromise over it is refused). */
  maxLength: number;
}) {
  const [content, setContent] = useState(() => JSON.stringify(initial));
  const [length, setLength] = useState(() => textLength(initial));
  const editor = useEditor({
    immediatelyRender: false,
    extensions: proposalExtensions,
    content: { type: "doc", content: initial.length ? initial : [{ type: "paragraph" }] },
    onUpdate: ({ editor: e }) => {
      setContent(JSON.stringify(e.getJSON().content ?? []));
      setLength(e.state.doc.textContent.length);
    },
    editorProps: {
      attributes: {
        class: "proposal-draft compromise-draft",
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": labelledBy,
      },
    },
  });
  return (
    <>
      <div className="paper proposal-paper">
        <EditorContent editor={editor} />
      </div>
      <p className={length > maxLength ? "hint char-count over" : "hint char-count"} data-max-length={maxLength} aria-live="polite">
        {length.toLocaleString("en")} of {maxLength.toLocaleString("en")} characters. Ctrl+I sets italics, as for the opening words (“Call
        upon”, “Noting with concern”).
      </p>
      <input type="hidden" name={name} value={content} />
    </>
  );
}

/** The characters of clause content, as the editor counts them (its text, without line breaks). */
function textLength(content: readonly JSONContent[]): number {
  return content.reduce((n, node) => n + (node.text?.length ?? 0) + textLength(node.content ?? []), 0);
}

import type { Editor } from "@tiptap/react";
import { useEditorState } from "@tiptap/react";

interface Action {
  label: string;
  shortcut?: string;
  run: () => boolean;
  active?: boolean;
  disabled?: boolean;
}

/** Formatting and clause commands; every button is reachable by Tab and labelled for screen readers. */
export function Toolbar({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      bulletList: e.isActive("bulletList"),
      orderedList: e.isActive("orderedList"),
      inClause: e.isActive("clause"),
      canUp: e.can().moveClause("up"),
      canDown: e.can().moveClause("down"),
      editable: e.isEditable,
    }),
  });
  const chain = () => editor.chain().focus();
  const groups: { label: string; actions: Action[] }[] = [
    {
      label: "Text",
      actions: [
        { label: "Bold", shortcut: "Ctrl+B", run: () => chain().toggleBold().run(), active: state.bold },
        { label: "Italic", shortcut: "Ctrl+I", run: () => chain().toggleItalic().run(), active: state.italic },
        {
          label: "Italic opening word",
          shortcut: "Ctrl+Alt+I",
          run: () => chain().italicizeOpeningWord().run(),
          disabled: !state.inClause,
        },
        { label: "Bulleted list", run: () => chain().toggleBulletList().run(), active: state.bulletList },
        { label: "Numbered list", run: () => chain().toggleOrderedList().run(), active: state.orderedList },
      ],
    },
    {
      label: "Clauses",
      actions: [
        { label: "New clause after", shortcut: "Ctrl+Enter", run: () => chain().insertClauseAfter().run(), disabled: !state.inClause },
        { label: "Add preambular clause", run: () => chain().appendClause("pp").run() },
        { label: "Add operative clause", run: () => chain().appendClause("op").run() },
        { label: "Move clause up", shortcut: "Alt+↑", run: () => chain().moveClause("up").run(), disabled: !state.canUp },
        { label: "Move clause down", shortcut: "Alt+↓", run: () => chain().moveClause("down").run(), disabled: !state.canDown },
        { label: "Delete clause", run: () => chain().deleteClause().run(), disabled: !state.inClause },
      ],
    },
  ];
  return (
    <div className="toolbar" role="toolbar" aria-label="Editing tools">
      {groups.map((g) => (
        <div className="toolbar-group" role="group" aria-label={g.label} key={g.label}>
          {g.actions.map((a) => (
            <button
              key={a.label}
              type="button"
              className="tool"
              aria-pressed={a.active === undefined ? undefined : a.active}
              disabled={!state.editable || a.disabled}
              title={a.shortcut ? `${a.label} (${a.shortcut})` : a.label}
              aria-keyshortcuts={a.shortcut?.replace("Ctrl", "Control").replace("↑", "ArrowUp").replace("↓", "ArrowDown")}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => a.run()}
            >
              {a.label}
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}

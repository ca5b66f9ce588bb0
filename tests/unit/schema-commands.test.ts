import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Editor, type JSONContent } from "@tiptap/core";
import { EditorState } from "@tiptap/pm/state";
import { negotiationOverlayKey } from "../../app/editor/negotiation-overlay";
import { clauseNodes, listClauses } from "../../app/statement/numbering";
import { statementEditorExtensions } from "../../app/editor/statement-editing";
import { demoStatement } from "../../server/seed/demo-statement";

// Tiptap 3 runs headless with `element: null`: commands work on its EditorState without a DOM.
// A headless editor does not install the extensions' ProseMirror plugins (that happens when a view
// mounts), so the plugins are tested on a plain EditorState built from them. Keyboard shortcuts
// need a view and a DOM and are not covered here.
let editor: Editor;

function open(content: JSONContent = demoStatement()) {
  editor = new Editor({ element: null, extensions: statementEditorExtensions, content });
  return editor;
}

afterEach(() => editor?.destroy());

const clauses = () => listClauses(editor.state.doc, new Set());
const labelsAndTexts = () => clauses().map((c) => `${c.label} ${c.text.split(" ")[0]}`);

/** Puts the cursor `offset` characters into the first paragraph of the clause labelled `label`. */
function cursorIn(label: string, offset = 0) {
  const clause = clauses().find((c) => c.label === label);
  if (!clause) throw new Error(`no clause ${label}`);
  editor.commands.setTextSelection(clause.pos + 2 + offset);
}

const clauseAtCursor = () => {
  const pos = editor.state.selection.from;
  return clauses()
    .filter((c) => c.pos < pos)
    .at(-1)!;
};

/** A small statement: two preambular and two operative clauses. */
const small = (): JSONContent => {
  const clause = (id: string, text: string): JSONContent => ({
    type: "clause",
    attrs: { id },
    content: [{ type: "paragraph", content: [{ type: "text", text }] }],
  });
  return {
    type: "doc",
    content: [
      { type: "title", content: [{ type: "text", text: "T" }] },
      { type: "preamble", content: [clause("p1", "Recalling one"), clause("p2", "Noting two")] },
      { type: "operative", content: [clause("o1", "Decide three"), clause("o2", "Urge four")] },
    ],
  };
};

describe("statement schema", () => {
  it("loads the demo statement as title, preamble and operative part", () => {
    const doc = open().state.doc;
    expect(doc.childCount).toBe(3);
    expect([0, 1, 2].map((i) => doc.child(i).type.name)).toEqual(["title", "preamble", "operative"]);
    expect(clauses()).toHaveLength(14);
  });
});

describe("clause commands", () => {
  it("insertClauseAfter adds an empty clause with a fresh id after the current one, cursor inside, italics on", () => {
    open(small());
    cursorIn("PP1", 3);
    expect(editor.commands.insertClauseAfter()).toBe(true);
    expect(labelsAndTexts()).toEqual(["PP1 Recalling", "PP2 ", "PP3 Noting", "OP1 Decide", "OP2 Urge"]);
    const inserted = clauses()[1];
    expect(inserted.id).toMatch(/^c[0-9a-z]{12}$/);
    expect(clauseAtCursor().label).toBe("PP2");
    expect(editor.state.storedMarks?.map((m) => m.type.name)).toEqual(["italic"]);
  });

  it("appendClause adds an empty clause at the end of the given part", () => {
    open(small());
    cursorIn("OP2");
    expect(editor.commands.appendClause("pp")).toBe(true);
    expect(labelsAndTexts()).toEqual(["PP1 Recalling", "PP2 Noting", "PP3 ", "OP1 Decide", "OP2 Urge"]);
    expect(clauseAtCursor().label).toBe("PP3");
    editor.commands.appendClause("op");
    expect(labelsAndTexts().at(-1)).toBe("OP3 ");
  });

  it("moveClause moves within a part and across the PP/OP boundary, ids travelling with their clauses", () => {
    open(small());
    cursorIn("PP1", 4);
    expect(editor.commands.moveClause("down")).toBe(true);
    expect(labelsAndTexts()).toEqual(["PP1 Noting", "PP2 Recalling", "OP1 Decide", "OP2 Urge"]);

    // The last preambular clause moving down becomes the first operative one.
    cursorIn("PP2", 4);
    expect(editor.commands.moveClause("down")).toBe(true);
    expect(labelsAndTexts()).toEqual(["PP1 Noting", "OP1 Recalling", "OP2 Decide", "OP3 Urge"]);

    cursorIn("OP1", 4);
    expect(editor.commands.moveClause("up")).toBe(true);
    expect(labelsAndTexts()).toEqual(["PP1 Noting", "PP2 Recalling", "OP1 Decide", "OP2 Urge"]);
    expect(clauseAtCursor().text).toBe("Recalling one");
    expect(clauses().map((c) => c.id)).toEqual(["p2", "p1", "o1", "o2"]);
  });

  it("moveClause up keeps the cursor where it was in the moved clause", () => {
    open(small());
    cursorIn("OP1", 4);
    const before = editor.state.selection.from - clauses()[2].pos;
    expect(editor.commands.moveClause("up")).toBe(true);
    expect(clauseAtCursor()).toMatchObject({ label: "PP3", id: "o1" });
    expect(editor.state.selection.from - clauseAtCursor().pos).toBe(before);
  });

  it("moveClause down keeps the cursor where it was in the moved clause", () => {
    open(small());
    cursorIn("PP1", 4);
    expect(editor.commands.moveClause("down")).toBe(true);
    expect(clauseAtCursor()).toMatchObject({ label: "PP2", id: "p1" });
    expect(editor.state.selection.from - clauseAtCursor().pos).toBe(6);
  });

  it("moveClause refuses to move past either end or to leave a part empty", () => {
    open(small());
    cursorIn("PP1");
    expect(editor.commands.moveClause("up")).toBe(false);
    cursorIn("OP2");
    expect(editor.commands.moveClause("down")).toBe(false);
    // Move PP1 into the operative part; PP2 is then the preamble's only clause and must stay.
    cursorIn("PP2");
    editor.commands.moveClause("down");
    cursorIn("PP1");
    expect(editor.commands.moveClause("down")).toBe(false);
    expect(labelsAndTexts()).toEqual(["PP1 Recalling", "OP1 Noting", "OP2 Decide", "OP3 Urge"]);
  });

  it("deleteClause removes the clause, but empties rather than removes a part's last one", () => {
    open(small());
    cursorIn("OP1");
    expect(editor.commands.deleteClause()).toBe(true);
    expect(labelsAndTexts()).toEqual(["PP1 Recalling", "PP2 Noting", "OP1 Urge"]);
    cursorIn("OP1");
    expect(editor.commands.deleteClause()).toBe(true);
    expect(labelsAndTexts()).toEqual(["PP1 Recalling", "PP2 Noting", "OP1 "]);
  });

  it("italicizeOpeningWord italicises exactly the first word", () => {
    open(small());
    cursorIn("OP2", 6);
    expect(editor.commands.italicizeOpeningWord()).toBe(true);
    const paragraph = editor.state.doc.nodeAt(clauses()[3].pos)!.firstChild!;
    const runs = paragraph.content.content.map((t) => [t.text, t.marks.map((m) => m.type.name).join()]);
    expect(runs).toEqual([
      ["Urge", "italic"],
      [" four", ""],
    ]);
  });
});

describe("clause plugins", () => {
  // Tiptap's core keymap reads `navigator`, which Node 20 does not have.
  beforeAll(() => {
    if (!("navigator" in globalThis)) vi.stubGlobal("navigator", { platform: "Linux x86_64", userAgent: "Node.js" });
  });
  afterAll(() => vi.unstubAllGlobals());

  const stateWithPlugins = (content: JSONContent) => {
    const e = open(content);
    return EditorState.create({ doc: e.state.doc, plugins: e.extensionManager.plugins });
  };

  it("give a pasted or duplicated clause a fresh id, so ids stay unique", () => {
    const state = stateWithPlugins(small());
    const [first, second] = clauseNodes(state.doc);
    const { state: after } = state.applyTransaction(state.tr.insert(second.pos, state.doc.nodeAt(first.pos)!));
    const ids = clauseNodes(after.doc).map((c) => c.id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect(ids[0]).toBe("p1");
    expect(ids[1]).toMatch(/^c[0-9a-z]{12}$/);
    expect(clauseNodes(after.doc)[1].text).toBe("Recalling one");
  });

  it("label every clause with its number as a decoration, renumbered after each change", () => {
    let state = stateWithPlugins(small());
    const labels = (s: EditorState) => {
      const set = negotiationOverlayKey.getState(s)!.decorations;
      return set
        .find()
        .map((d) => (d as unknown as { type: { attrs?: Record<string, string> } }).type.attrs?.["data-label"])
        .filter(Boolean);
    };
    expect(labels(state)).toEqual(["PP1", "PP2", "OP1", "OP2"]);
    const [first] = clauseNodes(state.doc);
    state = state.apply(state.tr.delete(first.pos, first.pos + state.doc.nodeAt(first.pos)!.nodeSize));
    expect(labels(state)).toEqual(["PP1", "OP1", "OP2"]);
  });
});

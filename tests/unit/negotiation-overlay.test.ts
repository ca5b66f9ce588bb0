import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Editor, type JSONContent } from "@tiptap/core";
import { EditorState } from "@tiptap/pm/state";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { statementEditorExtensions } from "../../app/editor/statement-editing";
import { clauseNodes } from "../../app/statement/numbering";
import { negotiationOverlayKey, noNegotiation, overlayClauses, type NegotiationOverlayData } from "../../app/editor/negotiation-overlay";

// The overlay's plugin on a plain EditorState (a headless Tiptap editor installs no plugins).
let editor: Editor;
afterEach(() => editor?.destroy());
// Tiptap's core keymap reads `navigator`, which Node 20 does not have.
beforeAll(() => {
  if (!("navigator" in globalThis)) vi.stubGlobal("navigator", { platform: "Linux x86_64", userAgent: "Node.js" });
});
afterAll(() => vi.unstubAllGlobals());

const clause = (id: string, text: string): JSONContent => ({
  type: "clause",
  attrs: { id },
  content: [{ type: "paragraph", content: [{ type: "text", text }] }],
});
const content: JSONContent = {
  type: "doc",
  content: [
    { type: "title", content: [{ type: "text", text: "T" }] },
    { type: "preamble", content: [clause("p1", "Recalling one")] },
    {
      type: "operative",
      content: [clause("o1", "Decide two"), clause("o2", "Urge three"), clause("new", "Invite four"), clause("o3", "Call five")],
    },
  ],
};

function state(data: Partial<NegotiationOverlayData> = {}) {
  editor = new Editor({ element: null, extensions: statementEditorExtensions, content });
  const s = EditorState.create({ doc: editor.state.doc, plugins: editor.extensionManager.plugins });
  return s.apply(s.tr.setMeta(negotiationOverlayKey, { ...noNegotiation, ...data }));
}

type Attrs = Record<string, string>;
function nodeAttrs(s: EditorState): Attrs[] {
  return negotiationOverlayKey
    .getState(s)!
    .decorations.find()
    .map((d) => (d as unknown as { type: { attrs?: Attrs } }).type.attrs)
    .filter((a): a is Attrs => !!a);
}

const posIn = (s: EditorState, id: string) => clauseNodes(s.doc).find((c) => c.id === id)!.pos + 3;

describe("negotiation overlay", () => {
  it("labels a provisional clause bis without renumbering the rest, for the decorations and the outline alike", () => {
    const s = state({ provisional: ["new"] });
    expect(nodeAttrs(s).map((a) => a["data-label"])).toEqual(["PP1", "OP1", "OP2", "OP2 bis", "OP3"]);
    expect(overlayClauses(s).map((c) => c.label)).toEqual(["PP1", "OP1", "OP2", "OP2 bis", "OP3"]);
  });

  it("marks states, brackets and locks on the clauses, with a state badge where the state is not open", () => {
    const s = state({ states: { o1: "agreed", o2: "under_negotiation" }, bracketed: ["o2"], locks: { whole: null, clauses: ["o1"] } });
    const byLabel = Object.fromEntries(nodeAttrs(s).map((a) => [a["data-label"], a]));
    expect(byLabel.OP1).toMatchObject({ "data-state": "agreed", class: "clause-locked", "aria-label": "Clause OP1, agreed" });
    expect(byLabel.OP2).toMatchObject({ "data-state": "under_negotiation", class: "clause-bracketed" });
    expect(byLabel.OP3).toMatchObject({ "data-state": "open", class: "" });
    // The browser takes no typing in a locked clause; the others stay editable.
    expect(byLabel.OP1.contenteditable).toBe("false");
    expect(byLabel.OP2).not.toHaveProperty("contenteditable");
    const widgets = negotiationOverlayKey
      .getState(s)!
      .decorations.find()
      .filter((d) => (d as unknown as { type: { attrs?: Attrs } }).type.attrs === undefined);
    expect(widgets).toHaveLength(2);
  });

  it("refuses a local edit inside a locked clause, and tells why", () => {
    let told: string | null = null;
    const s = state({ locks: { whole: null, clauses: ["o1"] } });
    editor.storage.negotiationOverlay.onRefused = (m) => (told = m);
    const inside = s.applyTransaction(s.tr.insertText("x", posIn(s, "o1")));
    expect(inside.state.doc.eq(s.doc)).toBe(true);
    expect(told).toBe("OP1 is agreed; its text cannot be changed.");
    const bold = s.applyTransaction(s.tr.addMark(posIn(s, "o1"), posIn(s, "o1") + 2, s.schema.marks.bold.create()));
    expect(bold.state.doc.eq(s.doc)).toBe(true);
    const o1 = clauseNodes(s.doc).find((c) => c.id === "o1")!;
    const removed = s.applyTransaction(s.tr.delete(o1.pos, o1.pos + s.doc.nodeAt(o1.pos)!.nodeSize));
    expect(removed.state.doc.eq(s.doc)).toBe(true);
  });

  it("refuses moving a clause across a locked one (the server would see the locked clause re-created), not next to it", () => {
    let told: string | null = null;
    const s = state({ locks: { whole: null, clauses: ["o2"] } });
    editor.storage.negotiationOverlay.onRefused = (m) => (told = m);
    const moveBefore = (st: EditorState, id: string, before: string) => {
      const c = clauseNodes(st.doc).find((x) => x.id === id)!;
      const node = st.doc.nodeAt(c.pos)!;
      const tr = st.tr.delete(c.pos, c.pos + node.nodeSize);
      return tr.insert(tr.mapping.map(clauseNodes(st.doc).find((x) => x.id === before)!.pos, -1), node);
    };
    expect(s.applyTransaction(moveBefore(s, "new", "o2")).state.doc.eq(s.doc)).toBe(true);
    expect(told).toBe("OP2 is agreed; clauses cannot be moved across it.");
    expect(s.applyTransaction(moveBefore(s, "o3", "new")).state.doc.eq(s.doc)).toBe(false);
  });

  it("lets local edits elsewhere through, and remote edits everywhere", () => {
    const s = state({ locks: { whole: null, clauses: ["o1"] } });
    const elsewhere = s.applyTransaction(s.tr.insertText("x", posIn(s, "o2")));
    expect(elsewhere.state.doc.eq(s.doc)).toBe(false);
    const remote = s.applyTransaction(s.tr.insertText("x", posIn(s, "o1")).setMeta(ySyncPluginKey, { isChangeOrigin: true }));
    expect(clauseNodes(remote.state.doc).find((c) => c.id === "o1")!.text).toContain("x");
  });

  it("refuses every local edit while the whole text is locked", () => {
    const s = state({ locks: { whole: "silence", clauses: [] } });
    let told = "";
    editor.storage.negotiationOverlay.onRefused = (m) => (told = m);
    expect(s.applyTransaction(s.tr.insertText("x", posIn(s, "o3"))).state.doc.eq(s.doc)).toBe(true);
    expect(told).toMatch(/silence procedure/);
  });
});

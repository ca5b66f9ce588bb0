import { Extension, type Editor } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState, type Transaction } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { absolutePositionToRelativePosition, ySyncPluginKey } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { encodeRelativePosition, resolveAnchor, type EncodedAnchor, type ProsemirrorMapping } from "~/statement/anchor-positions";

/** A thread's anchor as the editor gets it from the page. */
export interface CommentAnchor extends EncodedAnchor {
  threadId: string;
}

export interface CommentAnchorsState {
  anchors: CommentAnchor[];
  /** Where each anchored thread's text is now; absent while the document is not yet rendered. */
  ranges: Map<string, { from: number; to: number } | null>;
  /** The thread whose highlight was clicked last. */
  selected: string | null;
  decorations: DecorationSet;
}

interface Meta {
  anchors?: CommentAnchor[];
  selected?: string | null;
}

export const commentAnchorsKey = new PluginKey<CommentAnchorsState>("commentAnchors");

interface SyncState {
  type: Y.XmlFragment;
  doc: Y.Doc;
  binding: { mapping: ProsemirrorMapping } | null;
}

/** Resolves every anchor against the Y.Doc through the binding's current node mapping. */
function resolveAll(state: EditorState, anchors: CommentAnchor[]): CommentAnchorsState["ranges"] {
  const sync = ySyncPluginKey.getState(state) as SyncState | undefined;
  // Before the first render the mapping is empty and nothing can be placed; nothing is orphaned yet either.
  if (!sync?.binding || sync.binding.mapping.size === 0) return new Map();
  return new Map(anchors.map((a) => [a.threadId, resolveAnchor(sync.doc, sync.type, sync.binding!.mapping, a)]));
}

function decorate(state: EditorState | Transaction, ranges: CommentAnchorsState["ranges"], selected: string | null): DecorationSet {
  const doc = state.doc;
  const decorations: Decoration[] = [];
  for (const [threadId, range] of ranges) {
    if (!range || range.to > doc.content.size) continue;
    decorations.push(
      Decoration.inline(
        range.from,
        range.to,
        { class: threadId === selected ? "comment-anchor comment-anchor--selected" : "comment-anchor", "data-thread-id": threadId },
        { threadId },
      ),
    );
  }
  return DecorationSet.create(doc, decorations);
}

/**
 * Highlights the text that comment threads are anchored to. The page passes the anchors in a
 * transaction meta; they are resolved again whenever the document changes through Yjs (someone
 * else's edit), and mapped through local edits, whose Yjs counterpart is written only after the
 * transaction. An anchor whose text is gone resolves to null: the thread is orphaned.
 */
export const CommentAnchors = Extension.create({
  name: "commentAnchors",
  addProseMirrorPlugins() {
    return [
      new Plugin<CommentAnchorsState>({
        key: commentAnchorsKey,
        state: {
          init: (_, state) => ({ anchors: [], ranges: new Map(), selected: null, decorations: DecorationSet.create(state.doc, []) }),
          apply: (tr, prev, oldState) => {
            const meta = tr.getMeta(commentAnchorsKey) as Meta | undefined;
            if (!meta && !tr.docChanged) return prev;
            const anchors = meta?.anchors ?? prev.anchors;
            const selected = meta && "selected" in meta ? (meta.selected ?? null) : prev.selected;
            let ranges = prev.ranges;
            // The sync plugin's binding object (and its mapping) lives on; the old state holds it too.
            if (meta?.anchors || (tr.docChanged && tr.getMeta(ySyncPluginKey) !== undefined)) ranges = resolveAll(oldState, anchors);
            else if (tr.docChanged) {
              ranges = new Map(
                [...prev.ranges].map(([id, r]) => {
                  if (!r) return [id, null];
                  const from = tr.mapping.map(r.from, 1);
                  const to = tr.mapping.map(r.to, -1);
                  return [id, from < to ? { from, to } : null];
                }),
              );
            }
            return { anchors, ranges, selected, decorations: decorate(tr, ranges, selected) };
          },
        },
        props: {
          decorations: (state) => commentAnchorsKey.getState(state)?.decorations,
          handleClick: (view, pos) => {
            const state = commentAnchorsKey.getState(view.state);
            const hit = state ? [...state.ranges].find(([, r]) => r && r.from <= pos && pos <= r.to) : undefined;
            if (hit) view.dispatch(view.state.tr.setMeta(commentAnchorsKey, { selected: hit[0] } satisfies Meta));
            // The click still places the cursor, which brings the clause (and its threads) into the panel.
            return false;
          },
        },
      }),
    ];
  },
});

export function setCommentAnchors(editor: Editor, anchors: CommentAnchor[]): void {
  if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(commentAnchorsKey, { anchors } satisfies Meta));
}

export function selectCommentThread(editor: Editor, threadId: string | null): void {
  if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(commentAnchorsKey, { selected: threadId } satisfies Meta));
}

/** The selected text as an anchor: its clause, the relative positions of both ends, and the text. */
export function selectionAnchor(state: EditorState): (EncodedAnchor & { clauseId: string; quote: string }) | null {
  const { from, to, $from, $to } = state.selection;
  if (from >= to) return null;
  let clauseId: string | null = null;
  for (let d = $from.depth; d > 0; d--) {
    const node = $from.node(d);
    if (node.type.name === "clause") {
      // Both ends must be in the same clause.
      if ($to.depth < d || $to.node(d) !== node) return null;
      clauseId = (node.attrs.id as string | null) ?? null;
      break;
    }
  }
  const sync = ySyncPluginKey.getState(state) as SyncState | undefined;
  if (!clauseId || !sync?.binding) return null;
  const quote = state.doc.textBetween(from, to, " ");
  if (!quote.trim()) return null;
  return {
    clauseId,
    // y-tiptap declares the result as any; it is a Y.RelativePosition.
    start: encodeRelativePosition(absolutePositionToRelativePosition(from, sync.type, sync.binding.mapping) as Y.RelativePosition),
    end: encodeRelativePosition(absolutePositionToRelativePosition(to, sync.type, sync.binding.mapping) as Y.RelativePosition),
    quote,
  };
}

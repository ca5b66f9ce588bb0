import type { AnyExtension } from "@tiptap/core";
import { Plugin, PluginKey, TextSelection } from "@tiptap/pm/state";
import type { Node as PMNode, Schema } from "@tiptap/pm/model";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { newClauseId } from "~/statement/clause-id";
import { clauseNodes, partOfSection, type Part } from "~/statement/numbering";
import { Clause, statementNodes } from "~/statement/schema";
import { NegotiationOverlay } from "./negotiation-overlay";

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    clause: {
      /** Insert an empty clause after the one holding the cursor, and move into it. */
      insertClauseAfter: () => ReturnType;
      /** Append an empty clause at the end of a part. */
      appendClause: (part: Part) => ReturnType;
      /** Move the clause holding the cursor one place up or down (across the PP/OP boundary too). */
      moveClause: (direction: "up" | "down") => ReturnType;
      /** Delete the clause holding the cursor (a part keeps at least one, emptied). */
      deleteClause: () => ReturnType;
      /** Italicise the first word of the clause holding the cursor (UN drafting convention). */
      italicizeOpeningWord: () => ReturnType;
    };
  }
}

const clauseIdsKey = new PluginKey("clauseIds");

/** Position and depth of the clause around a resolved position, if any. */
function clauseAround(state: { selection: { $from: import("@tiptap/pm/model").ResolvedPos } }) {
  const $from = state.selection.$from;
  for (let d = $from.depth; d > 0; d--) {
    if ($from.node(d).type.name === "clause") {
      return { node: $from.node(d), pos: $from.before(d), depth: d, $from };
    }
  }
  return null;
}

function emptyClause(schema: Schema): PMNode {
  return schema.nodes.clause.create({ id: newClauseId() }, schema.nodes.paragraph.create());
}

/** The clause node as the editor uses it: the model's node with the drafting commands and shortcuts. */
const EditableClause = Clause.extend({
  addCommands() {
    return {
      insertClauseAfter:
        () =>
        ({ state, tr, dispatch }) => {
          const around = clauseAround(state);
          if (!around) return false;
          if (dispatch) {
            const at = around.pos + around.node.nodeSize;
            tr.insert(at, emptyClause(state.schema));
            tr.setSelection(TextSelection.create(tr.doc, at + 2));
            tr.setStoredMarks([state.schema.marks.italic.create()]);
            tr.scrollIntoView();
          }
          return true;
        },
      appendClause:
        (part) =>
        ({ state, tr, dispatch }) => {
          let sectionEnd = -1;
          state.doc.forEach((section, offset) => {
            if (partOfSection[section.type.name] === part) sectionEnd = offset + section.nodeSize - 1;
          });
          if (sectionEnd < 0) return false;
          if (dispatch) {
            tr.insert(sectionEnd, emptyClause(state.schema));
            tr.setSelection(TextSelection.create(tr.doc, sectionEnd + 2));
            tr.setStoredMarks([state.schema.marks.italic.create()]);
            tr.scrollIntoView();
          }
          return true;
        },
      moveClause:
        (direction) =>
        ({ state, tr, dispatch }) => {
          const around = clauseAround(state);
          if (!around) return false;
          const { node, pos, $from } = around;
          const clauses = clauseNodes(state.doc);
          const index = clauses.findIndex((c) => c.pos === pos);
          const sameSection = (a: number, b: number) => clauses[a].part === clauses[b].part;
          const offsetInClause = $from.pos - pos;
          if (direction === "up") {
            if (index <= 0) return false;
            // The last clause of a part cannot leave it empty.
            const sectionSize = clauses.filter((c) => c.part === clauses[index].part).length;
            if (!sameSection(index, index - 1) && sectionSize === 1) return false;
            if (!dispatch) return true;
            tr.delete(pos, pos + node.nodeSize);
            // Crossing into the preamble means appending at its end; otherwise go before the previous clause.
            const target = sameSection(index, index - 1)
              ? clauses[index - 1].pos
              : clauses[index - 1].pos + state.doc.nodeAt(clauses[index - 1].pos)!.nodeSize;
            const mapped = tr.mapping.map(target, -1);
            tr.insert(mapped, node);
            tr.setSelection(TextSelection.create(tr.doc, mapped + offsetInClause));
          } else {
            if (index < 0 || index >= clauses.length - 1) return false;
            const sectionSize = clauses.filter((c) => c.part === clauses[index].part).length;
            if (!sameSection(index, index + 1) && sectionSize === 1) return false;
            if (!dispatch) return true;
            const next = clauses[index + 1];
            const nextNode = state.doc.nodeAt(next.pos)!;
            const target = sameSection(index, index + 1) ? next.pos + nextNode.nodeSize : next.pos;
            tr.insert(target, node);
            tr.delete(pos, pos + node.nodeSize);
            const newPos = tr.mapping.map(target, -1);
            tr.setSelection(TextSelection.create(tr.doc, newPos + offsetInClause));
          }
          tr.scrollIntoView();
          return true;
        },
      deleteClause:
        () =>
        ({ state, tr, dispatch }) => {
          const around = clauseAround(state);
          if (!around) return false;
          const { node, pos, $from } = around;
          const section = $from.node(around.depth - 1);
          if (!dispatch) return true;
          if (section.childCount === 1) {
            tr.replaceWith(pos + 1, pos + node.nodeSize - 1, state.schema.nodes.paragraph.create());
            tr.setSelection(TextSelection.create(tr.doc, pos + 2));
          } else {
            tr.delete(pos, pos + node.nodeSize);
            tr.setSelection(TextSelection.near(tr.doc.resolve(Math.min(pos + 2, tr.doc.content.size - 1))));
          }
          tr.scrollIntoView();
          return true;
        },
      italicizeOpeningWord:
        () =>
        ({ state, tr, dispatch }) => {
          const around = clauseAround(state);
          if (!around) return false;
          const start = around.pos + 2; // inside the clause's first textblock
          const first = around.node.firstChild;
          if (!first || !first.isTextblock) return false;
          const match = /^\s*\S+/.exec(first.textContent);
          if (!match) return false;
          if (dispatch) tr.addMark(start, start + match[0].length, state.schema.marks.italic.create());
          return true;
        },
    };
  },

  addKeyboardShortcuts() {
    return {
      "Mod-Enter": () => this.editor.commands.insertClauseAfter(),
      "Alt-ArrowUp": () => this.editor.commands.moveClause("up"),
      "Alt-ArrowDown": () => this.editor.commands.moveClause("down"),
      "Mod-Alt-i": () => this.editor.commands.italicizeOpeningWord(),
      // The opening word is italic by convention; the space that ends it ends the italics too.
      Space: () => {
        const { state } = this.editor;
        const italic = state.schema.marks.italic;
        const stored = state.storedMarks ?? state.selection.$from.marks();
        if (!state.selection.empty || !italic.isInSet(stored)) return false;
        const around = clauseAround(state);
        if (!around) return false;
        const before = state.doc.textBetween(around.pos + 1, state.selection.from, "\n", "\n");
        if (!/^\S+$/.test(before)) return false;
        return this.editor
          .chain()
          .command(({ tr }) => {
            tr.insertText(" ");
            tr.removeMark(tr.selection.from - 1, tr.selection.from, italic);
            tr.setStoredMarks(stored.filter((m) => m.type !== italic));
            return true;
          })
          .run();
      },
    };
  },

  addProseMirrorPlugins() {
    return [
      // Local edits that create a clause without an id, or copy one (split, paste), get a fresh id.
      // Remote transactions are left alone: their author's client already did this.
      new Plugin({
        key: clauseIdsKey,
        appendTransaction: (transactions, _old, state) => {
          if (!transactions.some((t) => t.docChanged && !t.getMeta(ySyncPluginKey))) return null;
          const seen = new Set<string>();
          let tr = null as import("@tiptap/pm/state").Transaction | null;
          for (const c of clauseNodes(state.doc)) {
            if (c.id && !seen.has(c.id)) {
              seen.add(c.id);
              continue;
            }
            tr ??= state.tr;
            const id = newClauseId();
            seen.add(id);
            tr.setNodeAttribute(c.pos, "id", id);
          }
          return tr;
        },
      }),
    ];
  },
});

/** What the statement editor is made of: the statement's schema, editable, with the negotiation overlay. */
export const statementEditorExtensions: AnyExtension[] = [
  ...statementNodes(EditableClause),
  // Labels, states and brackets: derived for display, never stored, so they stay right whatever edits converge.
  NegotiationOverlay,
];

import { stateBadgeLabels } from "~/statement/negotiation-labels";
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState, type Transaction } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import type { Node as PMNode } from "@tiptap/pm/model";
import type { Step } from "@tiptap/pm/transform";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { clauseNodes, listClauses, type ClauseInfo } from "~/statement/numbering";
import type { ClauseState } from "~/statement/vocabulary";

/** What the negotiation says about the statement's clauses, as the statement page loads it. */
export interface NegotiationOverlayData {
  /** Clauses added by an accepted proposal, not final yet: labelled "OP5 bis", not numbered. */
  provisional: string[];
  /** Current clause states; a clause with no entry is open. */
  states: Record<string, ClauseState>;
  /** Clauses whose text is still under negotiation, shown [in brackets]. */
  bracketed: string[];
  /** What nobody may change: the whole text (adopted, or under a silence procedure), or agreed clauses. */
  locks: { whole: "adopted" | "silence" | null; clauses: string[] };
}

export const noNegotiation: NegotiationOverlayData = { provisional: [], states: {}, bracketed: [], locks: { whole: null, clauses: [] } };

/** An open clause carries no badge. */
const stateBadges: Partial<Record<ClauseState, string>> = { ...stateBadgeLabels, open: undefined };

interface OverlayState {
  data: NegotiationOverlayData;
  clauses: ClauseInfo[];
  decorations: DecorationSet;
}

export const negotiationOverlayKey = new PluginKey<OverlayState>("negotiationOverlay");

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    negotiationOverlay: {
      /** Shows the negotiation's labels, states and brackets, and enforces its locks. */
      setNegotiation: (data: NegotiationOverlayData) => ReturnType;
    };
  }
  interface Storage {
    negotiationOverlay: NegotiationOverlayStorage;
  }
}

export interface NegotiationOverlayStorage {
  /** Told, with an explanation, when a local edit was refused because of a lock. */
  onRefused: ((message: string) => void) | null;
}

/** The clauses of the editor's document, labelled as everywhere else (provisional ones included); none without the overlay. */
export function overlayClauses(state: EditorState): ClauseInfo[] {
  return negotiationOverlayKey.getState(state)?.clauses ?? [];
}

function build(doc: PMNode, data: NegotiationOverlayData): OverlayState {
  const clauses = listClauses(doc, new Set(data.provisional));
  const bracketed = new Set(data.bracketed);
  const locked = new Set(data.locks.clauses);
  const decorations: Decoration[] = [];
  for (const c of clauses) {
    const end = c.pos + doc.nodeAt(c.pos)!.nodeSize;
    const state = (c.id && data.states[c.id]) || "open";
    const badge = stateBadges[state];
    const classes = [bracketed.has(c.id ?? "") && "clause-bracketed", (locked.has(c.id ?? "") || data.locks.whole) && "clause-locked"];
    decorations.push(
      Decoration.node(c.pos, end, {
        "data-label": c.label,
        "data-part": c.part,
        "data-state": state,
        "aria-label": badge ? `Clause ${c.label}, ${badge.toLowerCase()}` : `Clause ${c.label}`,
        class: classes.filter(Boolean).join(" "),
        // The browser itself then takes no typing there; the filter below still refuses what commands would change.
        ...(locked.has(c.id ?? "") ? { contenteditable: "false" } : {}),
      }),
    );
    if (badge) {
      decorations.push(
        Decoration.widget(
          c.pos + 1,
          () => {
            const el = document.createElement("span");
            el.className = `state-badge state-${state}`;
            el.contentEditable = "false";
            el.textContent = badge;
            return el;
          },
          { side: -1, key: `badge-${state}`, ignoreSelection: true },
        ),
      );
    }
  }
  return { data, clauses, decorations: DecorationSet.create(doc, decorations) };
}

/** The document ranges a step changes, marks and attributes included (their step maps are empty). */
function stepRanges(step: Step): [number, number][] {
  const ranges: [number, number][] = [];
  step.getMap().forEach((from, to) => ranges.push([from, to]));
  const s = step as unknown as { from?: number; to?: number; pos?: number };
  if (typeof s.from === "number" && typeof s.to === "number") ranges.push([s.from, s.to]);
  if (typeof s.pos === "number") ranges.push([s.pos, s.pos + 1]);
  return ranges;
}

/** Whether a change of [from, to] touches the inside of a clause spanning [start, end]. */
const touches = ([from, to]: [number, number], start: number, end: number) =>
  from === to ? from > start && from < end : from < end && to > start;

/**
 * The locked clause that another clause moved across, if any. The collaboration binding would
 * carry out such a move by re-creating the locked clause, and the server keeps a locked clause
 * the same element in the same place: it would refuse the change.
 */
function movedAcross(before: PMNode, after: PMNode, locked: ReadonlySet<string>): string | null {
  const ids = (doc: PMNode) => clauseNodes(doc).flatMap((c) => (c.id ? [c.id] : []));
  const [was, is] = [ids(before), ids(after)];
  const kept = new Set(was.filter((id) => is.includes(id)));
  const order = (list: string[]) => list.filter((id) => kept.has(id));
  const [keptWas, keptIs] = [order(was), order(is)];
  for (const id of locked) {
    const i = keptWas.indexOf(id);
    if (i < 0) continue;
    const earlier = new Set(keptWas.slice(0, i));
    const j = keptIs.indexOf(id);
    if (i !== j || keptIs.slice(0, j).some((x) => !earlier.has(x))) return id;
  }
  return null;
}

/** The explanation for a refused local edit, or null when it is allowed. */
function refusal(tr: Transaction, overlay: OverlayState): string | null {
  const { locks } = overlay.data;
  if (locks.whole === "adopted") return "The text has been adopted; nobody can change it any more.";
  if (locks.whole === "silence") return "A silence procedure is running; the text cannot be changed until it ends.";
  if (locks.clauses.length === 0) return null;
  const locked = new Set(locks.clauses);
  for (let i = 0; i < tr.steps.length; i++) {
    const doc = tr.docs[i];
    const ranges = stepRanges(tr.steps[i]);
    for (const c of clauseNodes(doc)) {
      if (!c.id || !locked.has(c.id)) continue;
      const end = c.pos + doc.nodeAt(c.pos)!.nodeSize;
      if (ranges.some((r) => touches(r, c.pos, end))) {
        const label = overlay.clauses.find((x) => x.id === c.id)?.label ?? "An agreed clause";
        return `${label} is agreed; its text cannot be changed.`;
      }
    }
  }
  const crossed = movedAcross(tr.before, tr.doc, locked);
  if (crossed) {
    const label = overlay.clauses.find((x) => x.id === crossed)?.label ?? "An agreed clause";
    return `${label} is agreed; clauses cannot be moved across it.`;
  }
  return null;
}

/**
 * The one place that labels clauses in the editor: numbers (and bis/ter for provisional clauses),
 * state badges and [brackets], as node decorations derived from the document and the negotiation
 * data, never stored. It also refuses local edits inside locked text; remote transactions (from
 * Yjs) pass, since the server is the one that enforces locks for everyone.
 */
export const NegotiationOverlay = Extension.create<Record<string, never>, NegotiationOverlayStorage>({
  name: "negotiationOverlay",

  addStorage: () => ({ onRefused: null }),

  addCommands() {
    return {
      setNegotiation:
        (data) =>
        ({ tr, dispatch }) => {
          if (dispatch) tr.setMeta(negotiationOverlayKey, data).setMeta("addToHistory", false);
          return true;
        },
    };
  },

  addProseMirrorPlugins() {
    const storage = this.storage;
    return [
      new Plugin<OverlayState>({
        key: negotiationOverlayKey,
        state: {
          init: (_, state) => build(state.doc, noNegotiation),
          apply: (tr, old) => {
            const data = tr.getMeta(negotiationOverlayKey) as NegotiationOverlayData | undefined;
            if (data) return build(tr.doc, data);
            return tr.docChanged ? build(tr.doc, old.data) : old;
          },
        },
        props: { decorations: (state) => negotiationOverlayKey.getState(state)?.decorations },
        filterTransaction: (tr, state) => {
          if (!tr.docChanged || tr.getMeta(ySyncPluginKey)) return true;
          const message = refusal(tr, negotiationOverlayKey.getState(state)!);
          if (message) storage.onRefused?.(message);
          return message === null;
        },
      }),
    ];
  },
});

import { createHash } from "node:crypto";
import * as Y from "yjs";
import type { JSONContent } from "@tiptap/core";
import { newClauseId } from "../../app/statement/clause-id";
import { clauseElements, statementFragment } from "../../tests/support/statement";

export { clauseElements, statementFragment };

const text = (t: string, italic = false): JSONContent => ({ type: "text", text: t, ...(italic ? { marks: [{ type: "italic" }] } : {}) });

const openings = [
  "Recalling",
  "Recognizing",
  "Noting",
  "Welcoming",
  "Stressing",
  "Encourages",
  "Calls upon",
  "Urges",
  "Decides",
  "Requests",
];
const words = (
  "humanitarian demining urban recovery clearance reconstruction standards quality assurance land release survey " +
  "community safety development partners national authorities capacity building training equipment coordination data " +
  "sharing innovation technology explosive remnants contamination victims assistance resettlement infrastructure"
).split(" ");

/** A deterministic pseudo-random generator (mulberry32), so every run edits the same way. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const randomWord = (r: () => number) => words[Math.floor(r() * words.length)];

/** A long statement: `count` clauses (a fifth preambular) of about 200 characters each. */
export function largeStatement(count = 300, seed = 1): JSONContent {
  const r = rng(seed);
  const clause = (i: number): JSONContent => {
    const rest: string[] = [];
    while (rest.join(" ").length < 180) rest.push(randomWord(r));
    return {
      type: "clause",
      attrs: { id: newClauseId() },
      content: [{ type: "paragraph", content: [text(openings[i % openings.length], true), text(` ${rest.join(" ")} (${i + 1});`)] }],
    };
  };
  const preamble = Math.floor(count / 5);
  return {
    type: "doc",
    content: [
      { type: "title", content: [text("Benchmark Joint Statement")] },
      { type: "preamble", content: Array.from({ length: preamble }, (_, i) => clause(i)) },
      { type: "operative", content: Array.from({ length: count - preamble }, (_, i) => clause(preamble + i)) },
    ],
  };
}

/** The Y.XmlText of a clause's first paragraph (as y-prosemirror lays it out). */
export function clauseText(doc: Y.Doc, clause: number): Y.XmlText {
  const el = clauseElements(doc)[clause];
  if (!el) throw new Error(`no clause #${clause}`);
  const paragraph = el.toArray().find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === "paragraph");
  const t = paragraph?.toArray().find((n): n is Y.XmlText => n instanceof Y.XmlText);
  if (!t) throw new Error(`clause #${clause} has no text`);
  return t;
}

/** A caret as y-prosemirror's cursor plugin puts it in awareness: relative positions, as JSON. */
export function caretAt(text: Y.XmlText, index: number): { anchor: unknown; head: unknown } {
  const pos: unknown = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, index));
  return { anchor: pos, head: pos };
}

/** Content and state vector in one short string: equal digests mean converged documents. */
export function digest(doc: Y.Doc): string {
  const h = createHash("sha1");
  h.update(Y.encodeStateVector(doc));
  h.update(statementFragment(doc).toJSON()); // the XML text, as toString gives it
  return h.digest("hex").slice(0, 16);
}

export const clauseCount = (doc: Y.Doc) => clauseElements(doc).length;

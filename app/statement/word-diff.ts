import { diffWordsWithSpace } from "diff";

export interface DiffSegment {
  type: "equal" | "insert" | "delete";
  text: string;
}

/**
 * Beyond this many changed tokens the texts are shown as replaced whole: a rewritten 20,000-character
 * clause would otherwise cost seconds of Myers diff on every page that shows it, for a diff nobody reads.
 */
const maxEditLength = 2_000;

/**
 * What changes `a` into `b`, word by word. The `diff` package's word mode keeps whitespace and
 * punctuation as tokens of their own (a changed comma is a changed comma, not a changed word), and
 * its Myers diff stays fast on long clauses; adjacent changes are then joined as a negotiator reads them.
 */
export function wordDiff(a: string, b: string): DiffSegment[] {
  const changes = diffWordsWithSpace(a, b, { maxEditLength });
  if (!changes) return [...(a ? [{ type: "delete" as const, text: a }] : []), ...(b ? [{ type: "insert" as const, text: b }] : [])];
  const segments: DiffSegment[] = [];
  for (const change of changes) {
    const type = change.added ? "insert" : change.removed ? "delete" : "equal";
    const last = segments.at(-1);
    if (last && last.type === type) last.text += change.value;
    else segments.push({ type, text: change.value });
  }
  return spacesOutsideChanges(joinChanges(segments));
}

/**
 * Reads as a negotiator writes it: a change whose words are separated only by spaces that happen
 * to match ("a b c" → "x y z") is one deletion followed by one insertion, not a word-by-word zigzag.
 */
function joinChanges(segments: DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  let i = 0;
  while (i < segments.length) {
    if (segments[i].type === "equal") {
      out.push(segments[i++]);
      continue;
    }
    let deleted = "";
    let inserted = "";
    while (i < segments.length) {
      const s = segments[i];
      const bridge = s.type === "equal" && /^\s+$/.test(s.text) && i + 1 < segments.length && segments[i + 1].type !== "equal";
      if (s.type === "equal" && !bridge) break;
      if (s.type !== "insert") deleted += s.text;
      if (s.type !== "delete") inserted += s.text;
      i++;
    }
    if (deleted) out.push({ type: "delete", text: deleted });
    if (inserted) out.push({ type: "insert", text: inserted });
  }
  return out;
}

/**
 * A replacement whose old and new words end in the same space ("Urge " → "Call upon ") shows the
 * space as unchanged text after it: only the words were changed.
 */
function spacesOutsideChanges(segments: DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  for (let i = 0; i < segments.length; i++) {
    const del = segments[i];
    const ins = segments[i + 1];
    if (del.type !== "delete" || ins?.type !== "insert") {
      out.push(del);
      continue;
    }
    let shared = 0;
    while (
      shared < del.text.length - 1 &&
      shared < ins.text.length - 1 &&
      /\s/.test(del.text[del.text.length - 1 - shared]) &&
      del.text[del.text.length - 1 - shared] === ins.text[ins.text.length - 1 - shared]
    )
      shared++;
    const space = del.text.slice(del.text.length - shared);
    out.push({ type: "delete", text: del.text.slice(0, del.text.length - shared) });
    out.push({ type: "insert", text: ins.text.slice(0, ins.text.length - shared) });
    i++;
    if (!space) continue;
    const next = segments[i + 1];
    if (next?.type === "equal") {
      segments[i + 1] = { type: "equal", text: space + next.text };
    } else out.push({ type: "equal", text: space });
  }
  return out;
}

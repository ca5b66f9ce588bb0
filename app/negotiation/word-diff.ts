export interface DiffSegment {
  type: "equal" | "insert" | "delete";
  text: string;
}

/** Words, runs of whitespace and single punctuation marks: the units a negotiator changes. */
function tokens(s: string): string[] {
  return s.match(/[\p{L}\p{N}\p{M}_]+|\s+|[^\p{L}\p{N}\p{M}_\s]/gu) ?? [];
}

/** Above this many token pairs the LCS table is too big to fill; the middles are then shown as replaced whole. */
const maxCells = 4_000_000;

/**
 * What changes `a` into `b`, word by word: a longest common subsequence over tokens, with adjacent
 * segments of the same type merged, so that "delete the old words, insert the new" reads as such.
 */
export function wordDiff(a: string, b: string): DiffSegment[] {
  const x = tokens(a);
  const y = tokens(b);
  // Common prefix and suffix are trimmed first: most amendments change a little of a long clause.
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  const mx = x.slice(start, endX);
  const my = y.slice(start, endY);
  const n = mx.length;
  const m = my.length;
  if (n * m > maxCells) {
    const whole: DiffSegment[] = [];
    if (start > 0) whole.push({ type: "equal", text: x.slice(0, start).join("") });
    if (n > 0) whole.push({ type: "delete", text: mx.join("") });
    if (m > 0) whole.push({ type: "insert", text: my.join("") });
    if (endX < x.length) whole.push({ type: "equal", text: x.slice(endX).join("") });
    return whole;
  }
  // lcs[i][j]: length of the longest common subsequence of mx[i..] and my[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = mx[i] === my[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: DiffSegment[] = [];
  const push = (type: DiffSegment["type"], text: string) => {
    const last = out.at(-1);
    if (last && last.type === type) last.text += text;
    else out.push({ type, text });
  };
  x.slice(0, start).forEach((t) => push("equal", t));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && mx[i] === my[j]) {
      push("equal", mx[i++]);
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) push("delete", mx[i++]);
    else push("insert", my[j++]);
  }
  x.slice(endX).forEach((t) => push("equal", t));
  return joinChanges(out);
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

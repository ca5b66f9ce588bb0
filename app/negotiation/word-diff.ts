export interface DiffPart {
  type: "equal" | "insert" | "delete";
  text: string;
}

/** Words and the spaces between them, so a diff never splits a word and keeps spacing exact. */
const tokens = (s: string): string[] => s.match(/\s+|[^\s]+/g) ?? [];

/** Above this many token pairs the LCS table is too big to fill; the texts are then shown as replaced whole. */
const maxCells = 4_000_000;

/**
 * Word-level difference between two texts (longest common subsequence over words and spaces).
 * Adjacent parts of the same type are merged; concatenating the equal and delete parts gives
 * `a`, the equal and insert parts give `b`.
 */
export function wordDiff(a: string, b: string): DiffPart[] {
  const x = tokens(a);
  const y = tokens(b);
  // Common prefix and suffix are cut off first: most edits touch a few words in a long clause.
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  const out: DiffPart[] = [];
  const push = (type: DiffPart["type"], text: string) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.type === type) last.text += text;
    else out.push({ type, text });
  };
  push("equal", x.slice(0, start).join(""));
  const mx = x.slice(start, endX);
  const my = y.slice(start, endY);
  const n = mx.length;
  const m = my.length;
  if (n * m > maxCells) {
    push("delete", mx.join(""));
    push("insert", my.join(""));
  } else {
    // lcs[i][j]: length of the LCS of mx[i..] and my[j..], in one flat array.
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * w + j] = mx[i] === my[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (mx[i] === my[j]) {
        push("equal", mx[i++]);
        j++;
      } else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) push("delete", mx[i++]);
      else push("insert", my[j++]);
    }
    while (i < n) push("delete", mx[i++]);
    while (j < m) push("insert", my[j++]);
  }
  push("equal", x.slice(endX).join(""));
  return out;
}

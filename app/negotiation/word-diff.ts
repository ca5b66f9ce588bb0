export interface DiffSegment {
  type: "equal" | "insert" | "delete";
  text: string;
}

/** Words (letters and digits), runs of whitespace, and single punctuation marks. */
const tokenPattern = /[\p{L}\p{N}\p{M}]+|\s+|[^\p{L}\p{N}\p{M}\s]/gu;

const tokenize = (s: string) => s.match(tokenPattern) ?? [];

/**
 * What changed from `a` to `b`, word by word: the longest common subsequence of their tokens,
 * with adjacent segments of one type merged. Where both texts changed, the deletion comes first.
 */
export function wordDiff(a: string, b: string): DiffSegment[] {
  const x = tokenize(a);
  const y = tokenize(b);
  // The common start and end need no table (a clause's edits are usually local).
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let end = 0;
  while (end < x.length - start && end < y.length - start && x[x.length - 1 - end] === y[y.length - 1 - end]) end++;
  const xs = x.slice(start, x.length - end);
  const ys = y.slice(start, y.length - end);

  // lcs[i][j]: length of the longest common subsequence of xs[i..] and ys[j..].
  const width = ys.length + 1;
  const lcs = new Uint32Array((xs.length + 1) * width);
  for (let i = xs.length - 1; i >= 0; i--) {
    for (let j = ys.length - 1; j >= 0; j--) {
      lcs[i * width + j] = xs[i] === ys[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }

  const out: DiffSegment[] = [];
  const push = (type: DiffSegment["type"], text: string) => {
    const last = out[out.length - 1];
    if (last?.type === type) last.text += text;
    else out.push({ type, text });
  };
  for (const t of x.slice(0, start)) push("equal", t);
  let i = 0;
  let j = 0;
  while (i < xs.length || j < ys.length) {
    if (i < xs.length && j < ys.length && xs[i] === ys[j]) {
      push("equal", xs[i++]);
      j++;
    } else if (j >= ys.length || (i < xs.length && lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])) {
      push("delete", xs[i++]);
    } else {
      push("insert", ys[j++]);
    }
  }
  for (const t of x.slice(x.length - end)) push("equal", t);
  return out;
}

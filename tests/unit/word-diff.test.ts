import { describe, expect, it } from "vitest";
import { wordDiff } from "../../app/statement/word-diff";

const apply = (segments: ReturnType<typeof wordDiff>, side: "a" | "b") =>
  segments
    .filter((s) => s.type === "equal" || s.type === (side === "a" ? "delete" : "insert"))
    .map((s) => s.text)
    .join("");

describe("wordDiff", () => {
  it("marks a replaced word, keeping the rest equal", () => {
    expect(wordDiff("Calls upon all States to act.", "Calls upon all Parties to act.")).toEqual([
      { type: "equal", text: "Calls upon all " },
      { type: "delete", text: "States" },
      { type: "insert", text: "Parties" },
      { type: "equal", text: " to act." },
    ]);
  });

  it("treats punctuation and whitespace as tokens of their own", () => {
    expect(wordDiff("victims, survivors", "victims and survivors")).toEqual([
      { type: "equal", text: "victims" },
      { type: "delete", text: "," },
      { type: "insert", text: " and" },
      { type: "equal", text: " survivors" },
    ]);
  });

  it("shows the space after replaced words as unchanged", () => {
    expect(wordDiff("Urge all States", "Call upon all States")).toEqual([
      { type: "delete", text: "Urge" },
      { type: "insert", text: "Call upon" },
      { type: "equal", text: " all States" },
    ]);
  });

  it("merges adjacent segments of one type", () => {
    const d = wordDiff("one two", "one two three four");
    expect(d).toEqual([
      { type: "equal", text: "one two" },
      { type: "insert", text: " three four" },
    ]);
  });

  it("gives a deletion of everything and an insertion of everything", () => {
    expect(wordDiff("Gone clause.", "")).toEqual([{ type: "delete", text: "Gone clause." }]);
    expect(wordDiff("", "New clause.")).toEqual([{ type: "insert", text: "New clause." }]);
    expect(wordDiff("", "")).toEqual([]);
    expect(wordDiff("Same.", "Same.")).toEqual([{ type: "equal", text: "Same." }]);
  });

  it("never loses text: either side can be rebuilt from the segments", () => {
    const pairs: [string, string][] = [
      ["Recalls the Oslo Action Plan and its commitments", "Recalls with appreciation the Action Plan, and all commitments made"],
      ["a b c d e f", "f e d c b a"],
      ["Décide de créer un groupe", "Décide de ne pas créer de groupe"],
    ];
    for (const [a, b] of pairs) {
      const d = wordDiff(a, b);
      expect(apply(d, "a")).toBe(a);
      expect(apply(d, "b")).toBe(b);
      for (let k = 1; k < d.length; k++) expect(d[k].type).not.toBe(d[k - 1].type);
    }
  });

  it("keeps whole words together", () => {
    const d = wordDiff("humanitarian demining", "humanitarian mine action");
    expect(d.filter((s) => s.type !== "equal").map((s) => s.text)).toEqual(["demining", "mine action"]);
  });
});

describe("wordDiff on texts rewritten whole", () => {
  it("shows them as replaced whole, quickly, rather than aligning thousands of changed words", () => {
    const a = Array.from({ length: 4000 }, (_, i) => `alpha${i}`).join(" ");
    const b = Array.from({ length: 4000 }, (_, i) => `beta${i}`).join(" ");
    expect(wordDiff(a, b)).toEqual([
      { type: "delete", text: a },
      { type: "insert", text: b },
    ]);
  });
});

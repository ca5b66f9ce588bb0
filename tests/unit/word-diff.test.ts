import { describe, expect, it } from "vitest";
import { wordDiff } from "../../app/negotiation/word-diff";

const render = (a: string, b: string) =>
  wordDiff(a, b)
    .map((s) => (s.type === "equal" ? s.text : s.type === "insert" ? `{+${s.text}+}` : `[-${s.text}-]`))
    .join("");

describe("word diff", () => {
  it("marks replaced words, deletions first, and keeps the rest equal", () => {
    expect(render("Urge all States to act", "Call upon all States to act")).toBe("[-Urge-]{+Call upon+} all States to act");
  });

  it("treats punctuation as its own token and merges adjacent segments", () => {
    expect(render("demining, clearance;", "demining and clearance;")).toBe("demining[-,-]{+ and+} clearance;");
    const segments = wordDiff("a b c", "x y z");
    expect(segments).toEqual([
      { type: "delete", text: "a b c" },
      { type: "insert", text: "x y z" },
    ]);
  });

  it("handles empty texts and identical texts", () => {
    expect(wordDiff("", "new text")).toEqual([{ type: "insert", text: "new text" }]);
    expect(wordDiff("old", "")).toEqual([{ type: "delete", text: "old" }]);
    expect(wordDiff("same", "same")).toEqual([{ type: "equal", text: "same" }]);
  });

  it("always rebuilds both texts", () => {
    const a = "Encourage the use of unmanned aerial systems for survey, monitoring and clearance.";
    const b = "Encourage further the responsible use of aerial systems for survey and monitoring, and clearance!";
    const d = wordDiff(a, b);
    expect(
      d
        .filter((s) => s.type !== "insert")
        .map((s) => s.text)
        .join("")
    ).toBe(a);
    expect(
      d
        .filter((s) => s.type !== "delete")
        .map((s) => s.text)
        .join("")
    ).toBe(b);
  });
});

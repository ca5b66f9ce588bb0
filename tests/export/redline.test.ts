import { describe, expect, it } from "vitest";
import { wordDiff } from "../../app/statement/word-diff";
import { redlineStatements } from "../../server/export/redline";
import { clause, docOf, numberedOf, statementJSONOf } from "./fixtures";

describe("word diff", () => {
  it("finds inserted and deleted words and rebuilds both texts", () => {
    const a = "Call upon all governments to integrate demining";
    const b = "Call upon governments and partners to integrate humanitarian demining";
    const d = wordDiff(a, b);
    expect(
      d
        .filter((p) => p.type !== "insert")
        .map((p) => p.text)
        .join(""),
    ).toBe(a);
    expect(
      d
        .filter((p) => p.type !== "delete")
        .map((p) => p.text)
        .join(""),
    ).toBe(b);
    expect(d.filter((p) => p.type === "delete").map((p) => p.text.trim())).toEqual(["all"]);
    expect(d.filter((p) => p.type === "insert").map((p) => p.text.trim())).toEqual(["and partners", "humanitarian"]);
    expect(wordDiff("same", "same")).toEqual([{ type: "equal", text: "same" }]);
  });
});

describe("redline between two versions", () => {
  const before = docOf(
    statementJSONOf(
      "Title",
      [clause("p1", "Recalling", " A,"), clause("p2", "Noting", " B,")],
      [
        clause("o1", "Decide", " one;"),
        clause("o2", "Urge", " two;"),
        clause("o3", "Request", " three;"),
        clause("o4", "Welcome", " four."),
      ],
    ),
  );
  const after = docOf(
    statementJSONOf(
      "Title",
      [clause("p1", "Recalling", " A,"), clause("o4", "Welcoming", " four,")],
      [
        clause("o3", "Request", " three;"),
        clause("o1", "Decide", " one;"),
        clause("new", "Encourage", " five;"),
        clause("o2", "Urge", " two strongly."),
      ],
    ),
  );
  const r = redlineStatements(numberedOf(before), numberedOf(after));
  const byId = (id: string) => r.clauses.find((c) => c.id === id)!;

  it("lists every clause of both versions once, deleted ones where they stood", () => {
    expect(r.clauses.map((c) => c.id)).toEqual(["p1", "p2", "o4", "o3", "o1", "new", "o2"]);
  });

  it("marks added, deleted, unchanged and changed clauses", () => {
    expect(byId("p1")).toMatchObject({ change: "unchanged", moved: false });
    expect(byId("p2")).toMatchObject({ change: "deleted", oldLabel: "PP2", newLabel: null });
    expect(byId("new")).toMatchObject({ change: "added", newNum: "3.", oldNum: null });
    expect(byId("o2")).toMatchObject({ change: "changed", oldNum: "2.", newNum: "4." });
    expect(byId("o2").diff).toEqual([
      { type: "equal", text: "Urge two" },
      { type: "delete", text: ";" },
      { type: "insert", text: " strongly." },
    ]);
  });

  it("marks moved clauses with their old and new numbers, across parts too", () => {
    const moved = r.clauses.filter((c) => c.moved).map((c) => c.id);
    expect(moved).toContain("o4");
    expect(byId("o4")).toMatchObject({ oldPart: "op", part: "pp", oldNum: "4.", newLabel: "PP2", change: "changed" });
    // Of o1 and o3, which swapped places, one is reported as moved, not both.
    expect(moved.filter((id) => id === "o1" || id === "o3")).toHaveLength(1);
    const o3 = byId("o3");
    expect([o3.oldNum, o3.newNum]).toEqual(["3.", "1."]);
  });
});

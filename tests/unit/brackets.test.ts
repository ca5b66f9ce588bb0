import { describe, expect, it } from "vitest";
import { bracketedClauses } from "../../app/statement/brackets";

const none = { states: {}, proposals: [], provisional: [] };

describe("derived brackets", () => {
  it("brackets nothing when nothing is being negotiated", () => {
    expect([...bracketedClauses(none)]).toEqual([]);
  });

  it("brackets a clause with a submitted proposal to replace or delete it, not one to retain it or add after it", () => {
    const out = bracketedClauses({
      ...none,
      proposals: [
        { kind: "replace", status: "submitted", clauseId: "a" },
        { kind: "delete", status: "submitted", clauseId: "b" },
        { kind: "retain", status: "submitted", clauseId: "c" },
        { kind: "add", status: "submitted", clauseId: "d" },
      ],
    });
    expect([...out].sort()).toEqual(["a", "b"]);
  });

  it("ignores drafts and decided proposals: only what is on the table counts", () => {
    const statuses = ["draft", "accepted", "rejected", "merged", "withdrawn"];
    const out = bracketedClauses({ ...none, proposals: statuses.map((status) => ({ kind: "replace", status, clauseId: "a" })) });
    expect(out.size).toBe(0);
  });

  it("brackets clauses under negotiation and provisional clauses", () => {
    const out = bracketedClauses({ ...none, states: { a: "under_negotiation", b: "open" }, provisional: ["c"] });
    expect([...out].sort()).toEqual(["a", "c"]);
  });

  it("never brackets an agreed clause or one agreed ad referendum, whatever else is going on", () => {
    const out = bracketedClauses({
      states: { a: "agreed", b: "agreed_ad_ref" },
      proposals: [
        { kind: "replace", status: "submitted", clauseId: "a" },
        { kind: "delete", status: "submitted", clauseId: "b" },
      ],
      provisional: ["a", "b"],
    });
    expect(out.size).toBe(0);
  });
});

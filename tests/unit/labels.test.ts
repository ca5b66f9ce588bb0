import { describe, expect, it } from "vitest";
import type { JSONContent } from "@tiptap/core";
import { listClauses, provisionalLabel } from "../../app/statement/numbering";
import { statementSchema } from "../../app/statement/schema";
import { positionHeading, proposalLabels, type LabelledProposal } from "../../app/statement/negotiation-labels";

const clause = (id: string): JSONContent => ({
  type: "clause",
  attrs: { id },
  content: [{ type: "paragraph", content: [{ type: "text", text: id }] }],
});
const statement = (pp: string[], op: string[]) =>
  statementSchema.nodeFromJSON({
    type: "doc",
    content: [
      { type: "title", content: [{ type: "text", text: "T" }] },
      { type: "preamble", content: pp.map(clause) },
      { type: "operative", content: op.map(clause) },
    ],
  });

const labels = (pp: string[], op: string[], provisional: string[] = []) =>
  listClauses(statement(pp, op), new Set(provisional)).map((c) => c.label);

describe("clause labels", () => {
  it("numbers every clause densely when nothing is provisional", () => {
    expect(labels(["a", "b"], ["c", "d", "e"])).toEqual(["PP1", "PP2", "OP1", "OP2", "OP3"]);
  });

  it("labels provisional clauses bis, ter, quater after the numbered clause before them, and the rest keep their numbers", () => {
    expect(labels(["a"], ["c", "d", "x", "y", "z", "e"], ["x", "y", "z"])).toEqual([
      "PP1",
      "OP1",
      "OP2",
      "OP2 bis",
      "OP2 ter",
      "OP2 quater",
      "OP3",
    ]);
    const info = listClauses(statement([], ["c", "x", "e"].map(String)), new Set(["x"]))[1];
    expect(info).toMatchObject({ id: "x", provisional: true, number: 1, label: "OP1 bis" });
  });

  it("labels provisional clauses at the start of a part Pre-OP1, Pre-OP1 bis, and counts each part on its own", () => {
    expect(labels(["p", "a"], ["x", "y", "c"], ["p", "x", "y"])).toEqual(["Pre-PP1", "PP1", "Pre-OP1", "Pre-OP1 bis", "OP1"]);
  });

  it("numbers densely again once a clause is final (no longer in the provisional set)", () => {
    expect(labels([], ["c", "x", "e"], ["x"])).toEqual(["OP1", "OP1 bis", "OP2"]);
    expect(labels([], ["c", "x", "e"], [])).toEqual(["OP1", "OP2", "OP3"]);
  });

  it("goes on past decies without running out of names", () => {
    expect(provisionalLabel("op", 5, 9)).toBe("OP5 decies");
    expect(provisionalLabel("op", 5, 10)).toBe("OP5 bis 10");
  });
});

describe("proposal labels", () => {
  let n = 0;
  const p = (o: Partial<LabelledProposal> & Pick<LabelledProposal, "kind">): LabelledProposal => ({
    id: `p${++n}`,
    number: n,
    clauseId: null,
    part: "op",
    status: "submitted",
    newClauseId: null,
    ...o,
  });
  const doc = statement(["a"], ["c", "d", "x", "e", "f"]);
  const clauses = listClauses(doc, new Set(["x"])); // OP1 c, OP2 d, OP2 bis x, OP3 e, OP4 f

  it("names a single replacement 'OP3 alt' and several 'alt 1', 'alt 2' in order of number", () => {
    const one = p({ kind: "replace", clauseId: "e" });
    const later = p({ kind: "replace", clauseId: "f", number: 50 });
    const earlier = p({ kind: "replace", clauseId: "f", number: 40 });
    const out = proposalLabels([one, later, earlier], clauses);
    expect(out.get(one.id)).toBe("OP3 alt");
    expect(out.get(earlier.id)).toBe("OP4 alt 1");
    expect(out.get(later.id)).toBe("OP4 alt 2");
  });

  it("names deletions and retentions after their clause, provisional ones included", () => {
    const del = p({ kind: "delete", clauseId: "c" });
    const keep = p({ kind: "retain", clauseId: "x" });
    const out = proposalLabels([del, keep], clauses);
    expect(out.get(del.id)).toBe("Delete OP1");
    expect(out.get(keep.id)).toBe("Retain OP2 bis");
  });

  it("names new clauses bis, ter in order after the provisional clauses already there, and at the start of a part Pre-OP1", () => {
    const afterOp2 = p({ kind: "add", clauseId: "d", number: 70 });
    const afterOp2Bis = p({ kind: "add", clauseId: "x", number: 71 });
    const afterOp1 = p({ kind: "add", clauseId: "c", number: 72 });
    const atStart = p({ kind: "add", clauseId: null, number: 73 });
    const inPreamble = p({ kind: "add", clauseId: null, part: "pp", number: 74 });
    const out = proposalLabels([afterOp2Bis, afterOp2, afterOp1, atStart, inPreamble], clauses);
    expect(out.get(afterOp2.id)).toBe("OP2 ter");
    expect(out.get(afterOp2Bis.id)).toBe("OP2 quater");
    expect(out.get(afterOp1.id)).toBe("OP1 bis");
    expect(out.get(atStart.id)).toBe("Pre-OP1");
    expect(out.get(inPreamble.id)).toBe("Pre-PP1");
  });

  it("names an accepted addition by the clause it created", () => {
    const accepted = p({ kind: "add", clauseId: "d", status: "accepted", newClauseId: "x" });
    const pending = p({ kind: "add", clauseId: "d" });
    const out = proposalLabels([accepted, pending], clauses);
    expect(out.get(accepted.id)).toBe("OP2 bis");
    expect(out.get(pending.id)).toBe("OP2 ter");
  });
});

describe("position headings", () => {
  it("agree in number with the positions under them", () => {
    expect(positionHeading("object", 1)).toBe("Objection");
    expect(positionHeading("object", 2)).toBe("Objections");
    expect(positionHeading("support", 1)).toBe("Supporter");
    expect(positionHeading("support", 3)).toBe("Supporters");
    expect(positionHeading("cosponsor", 1)).toBe("Co-sponsor");
    expect(positionHeading("cosponsor", 2)).toBe("Co-sponsors");
    // An empty list is headed in the plural, over "None.".
    expect(positionHeading("object", 0)).toBe("Objections");
  });
});

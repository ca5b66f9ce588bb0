import { describe, expect, it } from "vitest";
import { listClauses } from "../../app/statement/numbering";
import { statementSchema } from "../../app/statement/schema";
import { demoStatement } from "../../server/seed/demo-statement";

const demo = () => statementSchema.nodeFromJSON(demoStatement());

describe("clause numbering", () => {
  it("numbers the demo statement's preamble PP1–PP7 and its operative part OP1–OP7", () => {
    const clauses = listClauses(demo(), new Set());
    expect(clauses.map((c) => c.label)).toEqual([
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => `PP${n}`),
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => `OP${n}`),
    ]);
    expect(clauses.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7]);
    expect(clauses[0]).toMatchObject({ part: "pp", text: expect.stringMatching(/^We, the participants in the 4th/) as unknown });
    expect(clauses[7]).toMatchObject({ part: "op", text: expect.stringMatching(/^Reaffirm that humanitarian demining/) as unknown });
    // A clause's text includes its sub-items.
    expect(clauses[9].text).toContain("unmanned aerial systems for survey and monitoring;");
  });

  it("gives each clause its position in the document and its own id", () => {
    const doc = demo();
    const clauses = listClauses(doc, new Set());
    for (const c of clauses) {
      const node = doc.nodeAt(c.pos)!;
      expect(node.type.name).toBe("clause");
      expect(node.attrs.id).toBe(c.id);
    }
    expect(new Set(clauses.map((c) => c.id)).size).toBe(clauses.length);
  });

  it("derives numbers from order, so moving a clause renumbers both parts", () => {
    const json = demoStatement();
    const [, preamble, operative] = json.content!;
    // The last preambular clause becomes the first operative one.
    operative.content!.unshift(preamble.content!.pop()!);
    const clauses = listClauses(statementSchema.nodeFromJSON(json), new Set());
    expect(clauses.filter((c) => c.part === "pp").map((c) => c.label)).toEqual(["PP1", "PP2", "PP3", "PP4", "PP5", "PP6"]);
    expect(clauses.find((c) => c.label === "OP1")!.text).toMatch(/^Mindful/);
    expect(clauses.at(-1)!.label).toBe("OP8");
  });
});

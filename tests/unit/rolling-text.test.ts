import { describe, expect, it } from "vitest";
import { rollingText, type RollingProposal } from "../../server/negotiation/rolling-text";
import { clauseText, type ExportStatement } from "../../server/export/model";
import { listClauses } from "../../app/statement/numbering";
import { bracketedClauses } from "../../app/statement/brackets";
import { clause, docOf, statementJSONOf } from "../export/fixtures";

const doc = docOf(
  statementJSONOf(
    "Joint Statement",
    [clause("p1", "Recalling", " the outcomes of the 3rd Conference,")],
    [
      clause("o1", "Reaffirm", " that demining is linking relief and recovery;"),
      clause("o2", "Call upon", " all States to integrate demining;"),
      clause("o3", "Decide", " one two three four five six seven."),
    ],
  ),
);
const statement = (provisional: string[] = []) => ({ doc, clauses: listClauses(doc, new Set(provisional)) });
const texts = {
  o1: "Reaffirm that demining is linking relief and recovery;",
  o2: "Call upon all States to integrate demining;",
  o3: "Decide one two three four five six seven.",
};

let number = 0;
function proposal(p: Partial<RollingProposal> & { text?: string; cosponsors?: string[] }): RollingProposal {
  number += 1;
  return {
    id: `id-${number}`,
    number,
    kind: "replace",
    clauseId: "o1",
    part: "op",
    status: "submitted",
    newClauseId: null,
    delegationCode: "NOR",
    revision: p.status === "draft" ? null : { text: p.text ?? "" },
    positions: [
      ...(p.cosponsors ?? []).map((code) => ({ delegationCode: code, position: "cosponsor" as const })),
      { delegationCode: "FRA", position: "support" as const },
    ],
    ...p,
  };
}

// Clauses under negotiation as every draft derives them (server/negotiation/marks.ts).
const roll = (proposals: RollingProposal[], { attributions = true, provisional = [] as string[] } = {}) =>
  rollingText(
    { statement: statement(provisional), proposals, bracketed: bracketedClauses({ states: {}, proposals, provisional }) },
    { attributions },
  );
const lines = (s: ExportStatement) => [...s.preamble, ...s.operative].map((c) => [c.label, clauseText(c)]);
const textOf = (s: ExportStatement, label: string) => clauseText([...s.preamble, ...s.operative].find((c) => c.label === label)!);

describe("the rolling text", () => {
  it("brackets only the words a replacement changes, with its sponsor and co-sponsors, keeping the italic opening", () => {
    const s = roll([proposal({ text: texts.o1.replace("linking", "aligning"), cosponsors: ["COL"] })]);
    expect(textOf(s, "OP1")).toBe("Reaffirm that demining is [linking/aligning (NOR, COL)] relief and recovery;");
    const first = s.operative[0].blocks[0];
    expect(first.kind === "paragraph" && first.runs[0]).toMatchObject({ text: "Reaffirm", italic: true });
    // Supporters are not sponsors; a clause nobody proposes on reads as written.
    expect(textOf(s, "OP1")).not.toContain("FRA");
    expect(textOf(s, "OP2")).toBe("Call upon all States to integrate demining;");
  });

  it("keeps the formatting of the words it brackets: a replaced italic opening stays italic inside the bracket", () => {
    const s = roll([proposal({ text: texts.o1.replace("Reaffirm", "Reiterate") })]);
    expect(textOf(s, "OP1")).toBe("[Reaffirm/Reiterate (NOR)] that demining is linking relief and recovery;");
    const first = s.operative[0].blocks[0];
    expect(first.kind === "paragraph" && first.runs.slice(0, 3)).toEqual([
      { text: "[" },
      { text: "Reaffirm", italic: true },
      { text: "/Reiterate (NOR)]" },
    ]);
  });

  it("writes a pure insertion as [new (X)] and a pure deletion as [Delete: old (X)], each where it applies", () => {
    const s = roll([
      proposal({ clauseId: "o2", text: "Call upon all States to fully integrate demining;", delegationCode: "AZE" }),
      proposal({ clauseId: "o2", text: "Call upon States to integrate demining;", delegationCode: "COL" }),
    ]);
    expect(textOf(s, "OP2")).toBe("Call upon [Delete: all (COL)] States to [fully (AZE)] integrate demining;");
  });

  it("puts proposals changing the same words in one bracket, one alternative each, sponsors of the same words together", () => {
    const s = roll([
      proposal({ text: texts.o1.replace("linking", "aligning"), delegationCode: "NOR" }),
      proposal({ text: texts.o1.replace("linking", "connecting"), delegationCode: "COL" }),
      proposal({ text: texts.o1.replace("linking", "aligning"), delegationCode: "JPN" }),
    ]);
    expect(textOf(s, "OP1")).toBe("Reaffirm that demining is [linking/aligning (NOR, JPN)/connecting (COL)] relief and recovery;");
  });

  it("shows a replacement of more than half the words as an alternative after the clause, bracketing the clause whole", () => {
    const half = proposal({ clauseId: "o3", text: "Decide uno dos tres cuatro five six seven.", delegationCode: "AZE" });
    expect(textOf(roll([half]), "OP3")).toBe("Decide [one two three four/uno dos tres cuatro (AZE)] five six seven.");
    const most = proposal({ clauseId: "o3", text: "Decide uno dos tres cuatro cinco six seven.", delegationCode: null });
    expect(textOf(roll([most]), "OP3")).toBe(
      "[Decide one two three four five six seven.]\nOP3 [alt: Decide uno dos tres cuatro cinco six seven. (Chair)]",
    );
    // An agreed clause is never bracketed, whatever is still proposed on it.
    const agreed = rollingText(
      {
        statement: statement(),
        proposals: [most],
        bracketed: bracketedClauses({ states: { o3: "agreed" }, proposals: [most], provisional: [] }),
      },
      { attributions: true },
    );
    expect(textOf(agreed, "OP3")).toBe(
      "Decide one two three four five six seven.\nOP3 [alt: Decide uno dos tres cuatro cinco six seven. (Chair)]",
    );
  });

  it("counts added words too, and places a clause with sub-paragraphs' replacements after it, whatever their size", () => {
    const longer = proposal({ clauseId: "o3", text: `${texts.o3.slice(0, -1)} eight nine ten eleven twelve.`, delegationCode: "JPN" });
    expect(textOf(roll([longer]), "OP3")).toMatch(/^\[Decide one .* seven\.\]\nOP3 \[alt: Decide one .* twelve\. \(JPN\)\]$/);

    const listed = docOf(
      statementJSONOf(
        "T",
        [],
        [
          {
            type: "clause",
            attrs: { id: "l1" },
            content: [
              { type: "paragraph", content: [{ type: "text", text: "Encourage the use of:" }] },
              {
                type: "bulletList",
                content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "drones" }] }] }],
              },
            ],
          },
        ],
      ),
    );
    const s = rollingText(
      {
        statement: { doc: listed, clauses: listClauses(listed, new Set()) },
        proposals: [proposal({ clauseId: "l1", text: "Encourage the use of:robots", delegationCode: "AZE" })],
        bracketed: new Set(["l1"]),
      },
      { attributions: true },
    );
    expect(clauseText(s.operative[0])).toBe("[Encourage the use of:\n(a) drones.]\nOP1 [alt: Encourage the use of:robots (AZE)]");
  });

  it("marks delete and retain proposals on the clause and adds proposed clauses after the one they follow", () => {
    const s = roll([
      proposal({ kind: "delete", clauseId: "p1", part: "pp", delegationCode: "COL" }),
      proposal({ kind: "retain", clauseId: "o2", delegationCode: "JPN", cosponsors: ["AZE"] }),
      proposal({ kind: "add", clauseId: "o1", text: "Welcome the new partnerships;", delegationCode: "NOR" }),
      proposal({ kind: "add", clauseId: null, part: "op", text: "Stress the urgency;", delegationCode: "COL" }),
    ]);
    expect(lines(s)).toEqual([
      ["PP1", "[Recalling the outcomes of the 3rd Conference,]\n[Delete PP1 (COL)]"],
      ["Pre-OP1", "[Pre-OP1 (proposed): Stress the urgency; (COL)]"],
      ["OP1", "Reaffirm that demining is linking relief and recovery;"],
      ["OP1 bis", "[OP1 bis (proposed): Welcome the new partnerships; (NOR)]"],
      ["OP2", "Call upon all States to integrate demining;\n[Retain OP2 (JPN, AZE)]"],
      ["OP3", "Decide one two three four five six seven."],
    ]);
  });

  it("labels by the one numbering: after a provisional clause a proposed one is ter, and the provisional one keeps bis", () => {
    const s = roll(
      [
        proposal({ kind: "add", clauseId: "o2", text: "Note the report;", delegationCode: "NOR" }),
        proposal({ kind: "retain", clauseId: "o2", delegationCode: "JPN" }),
      ],
      { provisional: ["o2"] },
    );
    expect(s.operative.map((c) => [c.num, clauseText(c)])).toEqual([
      ["1.", "Reaffirm that demining is linking relief and recovery;"],
      ["1 bis.", "[Call upon all States to integrate demining;]\n[Retain OP1 bis (JPN)]"],
      ["", "[OP1 ter (proposed): Note the report; (NOR)]"],
      ["2.", "Decide one two three four five six seven."],
    ]);
  });

  it("leaves out the sponsors when attributions are hidden", () => {
    const s = roll(
      [
        proposal({ text: texts.o1.replace("linking", "aligning"), cosponsors: ["COL"] }),
        proposal({ kind: "delete", clauseId: "o2", delegationCode: "COL" }),
        proposal({ kind: "add", clauseId: "o2", text: "Note the report;" }),
      ],
      { attributions: false },
    );
    expect(textOf(s, "OP1")).toBe("Reaffirm that demining is [linking/aligning] relief and recovery;");
    expect(textOf(s, "OP2")).toBe("[Call upon all States to integrate demining;]\n[Delete OP2]");
    expect(textOf(s, "OP2 bis")).toBe("[OP2 bis (proposed): Note the report;]");
    expect(lines(s).flat().join("\n")).not.toMatch(/NOR|COL/);
  });

  it("writes in submitted proposals only: no draft, and nothing withdrawn or decided", () => {
    const s = roll([
      proposal({ status: "draft", text: texts.o1.replace("linking", "secret") }),
      proposal({ status: "withdrawn", text: texts.o1.replace("linking", "withdrawn") }),
      proposal({ status: "rejected", kind: "delete", clauseId: "o2" }),
    ]);
    expect(lines(s).flat().join("\n")).not.toMatch(/secret|withdrawn|\[/);
  });
});

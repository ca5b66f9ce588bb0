import { describe, expect, it } from "vitest";
import { paragraphsFromMarkdown } from "../../server/import/markdown";
import { paragraphsFromHtml } from "../../server/import/docx";
import {
  importedLabels,
  importedStatementSchema,
  recogniseStatement,
  runsText,
  type ImportedStatement,
} from "../../server/import/zero-draft";
import { readWrittenLabel, partOfHeading } from "../../server/import/written-labels";

/** Each clause as "LABEL text", sub-items as " (item)", so one assertion shows the whole structure. */
function outline(s: ImportedStatement): string[] {
  const labels = importedLabels(s);
  return [...s.preamble, ...s.operative].map(
    (c) => `${labels.get(c)} ${runsText(c.runs)}${c.items.map((i) => ` (${runsText(i.runs)})`).join("")}`,
  );
}

const alternativesOf = (s: ImportedStatement) => {
  const labels = importedLabels(s);
  return s.alternatives.map((a) => `${labels.get((a.part === "pp" ? s.preamble : s.operative)[a.clause])}: ${runsText(a.runs)}`);
};

const expectedOutline = [
  "PP1 Recalling the 2024 outcome,",
  "PP2 Noting the costs,",
  "OP1 Decide to act;",
  "OP2 Request the secretariat: (to report;) (to consult;)",
  "OP2 bis Invite donors to contribute;",
  "OP3 Urge all States;",
  "OP4 Welcome progress;",
  "OP5 Encourage cooperation;",
  "OP6 Decide to remain seized of the matter.",
];

describe("written labels", () => {
  it("reads numbers, added clauses and alternatives as drafters type them", () => {
    const read = (s: string) => {
      const l = readWrittenLabel(s);
      return l && { part: l.part, number: l.number, ordinal: l.ordinal, alternative: l.alternative, rest: s.slice(l.length) };
    };
    expect(read("2 bis. Invite")).toEqual({ part: null, number: 2, ordinal: 1, alternative: false, rest: "Invite" });
    expect(read("OP2ter: Invite")).toEqual({ part: "op", number: 2, ordinal: 2, alternative: false, rest: "Invite" });
    expect(read("2 quater\tInvite")).toEqual({ part: null, number: 2, ordinal: 3, alternative: false, rest: "Invite" });
    for (const alt of [
      "5 alt. Call",
      "5 alt Call",
      "[5 alt] Call",
      "[5 alt.] Call",
      "Alt 5. Call",
      "Alt. 5: Call",
      "[Alt 5] Call",
      "5 alt 1. Call",
    ])
      expect(read(alt), alt).toEqual({ part: null, number: 5, ordinal: 0, alternative: true, rest: "Call" });
    expect(read("Alternative to OP5: Call")).toEqual({ part: "op", number: 5, ordinal: 0, alternative: true, rest: "Call" });
    expect(read("Alt. Call")).toEqual({ part: null, number: null, ordinal: 0, alternative: true, rest: "Call" });
    expect(read("12. Decide")).toEqual({ part: null, number: 12, ordinal: 0, alternative: false, rest: "Decide" });
    expect(read("PP3 Recalling")).toEqual({ part: "pp", number: 3, ordinal: 0, alternative: false, rest: "Recalling" });
    // Clause text that merely starts with a number or a word like "Alternatively" is text.
    for (const text of ["10 States have ratified", "2030 Agenda,", "Alternatively, the parties", "Alternative approaches are", "Operative"])
      expect(read(text), text).toBeNull();
  });

  it("knows the part headings in any case and common variants, and nothing else", () => {
    for (const h of ["Preamble", "PREAMBLE", "Preambular part", "preambular paragraphs:", "I. Preamble", "Part I – Preamble"])
      expect(partOfHeading(h), h).toBe("pp");
    for (const h of ["Operative part", "OPERATIVE PARAGRAPHS", "Operative paragraphs:", "II. Operative part", "B. Operative section"])
      expect(partOfHeading(h), h).toBe("op");
    for (const h of ["Preamble to the Charter of the United Nations,", "Operative costs are rising", "Financing"])
      expect(partOfHeading(h), h).toBeNull();
  });
});

describe("recognising a Markdown zero draft", () => {
  const md = [
    "# Draft Joint Statement",
    "",
    "## Preamble",
    "",
    "*Recalling* the 2024 outcome,",
    "",
    "*Noting* the costs,",
    "",
    "## Operative part",
    "",
    "1. *Decide* to act;",
    "2. *Request* the secretariat:",
    "   (a) to report;",
    "   (b) to consult;",
    "2 bis. *Invite* donors to contribute;",
    "3. *Urge* all States;",
    "4. *Welcome* progress;",
    "5. *Encourage* cooperation;",
    "",
    "5 alt. *Call upon* all parties to cooperate;",
    "",
    "6. *Decide* to remain seized of the matter.",
  ].join("\n");

  it("takes the part headings as parts, 2 bis as an added clause and 5 alt. as an alternative to OP5", () => {
    const s = recogniseStatement(paragraphsFromMarkdown(md));
    expect(s.title).toBe("Draft Joint Statement");
    expect(outline(s)).toEqual(expectedOutline);
    expect(alternativesOf(s)).toEqual(["OP5: Call upon all parties to cooperate;"]);
    expect(s.alternatives[0].runs[0]).toEqual({ text: "Call upon", italic: true });
    expect(s.operative[2].runs[0]).toEqual({ text: "Invite", italic: true });
    expect(s.warnings).toEqual([
      "Recognised the headings “Preamble” and “Operative part” as the two parts; they are not clauses.",
      "Recognised 6 numbered clauses (6 by typed numbers); Concord numbers them itself.",
      "Recognised 2 sub-items ((a), (b)… or bullets) under their clauses.",
      "Recognised “2 bis.” as a clause added after OP2: it is OP2 bis, provisional until agreed.",
      "Recognised “5 alt.” as an alternative to OP5, to be tabled in the chair's name.",
    ]);
    // The hidden-field round trip keeps all of it.
    expect(importedStatementSchema.parse(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });

  it("reads headings written in capitals with colons, bold labels, 'Alt N' and an alternative's own sub-items", () => {
    const s = recogniseStatement(
      paragraphsFromMarkdown(
        [
          "**Zero draft**",
          "",
          "PREAMBULAR PART:",
          "",
          "*Recalling* x,",
          "",
          "OPERATIVE PARAGRAPHS",
          "",
          "1. *Decide* y;",
          "**Alt 1.** *Decide* z:",
          "   (a) soon;",
          "2. *Request* w.",
        ].join("\n"),
      ),
    );
    expect(s.title).toBe("Zero draft");
    expect(outline(s)).toEqual(["PP1 Recalling x,", "OP1 Decide y;", "OP2 Request w."]);
    expect(alternativesOf(s)).toEqual(["OP1: Decide z:"]);
    expect(s.alternatives[0].items.map((i) => runsText(i.runs))).toEqual(["soon;"]);
  });

  it("says what it guessed: a number out of sequence, an unnumbered paragraph, an alternative naming no clause, a left-out heading", () => {
    const s = recogniseStatement(
      paragraphsFromMarkdown(
        [
          "# T",
          "",
          "Recalling x,",
          "",
          "1. Decide y;",
          "",
          "Further decides z;",
          "",
          "### Financing",
          "",
          "4. Request w;",
          "",
          "9 alt. Something else;",
        ].join("\n"),
      ),
    );
    expect(outline(s)).toEqual(["PP1 Recalling x,", "OP1 Decide y;", "OP2 Further decides z;", "OP3 Request w;", "OP4 Something else;"]);
    expect(s.alternatives).toEqual([]);
    expect(s.warnings).toEqual([
      "No part headings were found: the unnumbered paragraphs before the first numbered one were taken as the preamble.",
      "Recognised 2 numbered clauses (2 by typed numbers); Concord numbers them itself.",
      "The clause numbered “4.” in the file is OP3 here: the numbers in the file are not consecutive.",
      "“9 alt.” names no clause of this draft; it was imported as a clause of its own, OP4.",
      "Guessed that an unnumbered paragraph in the operative part is a clause of its own: “Further decides z;” (OP2, after OP1). Where one continues the clause before it, join the two after importing.",
      "Left out the heading “Financing”: a statement has no headings inside its parts.",
    ]);
  });

  it("leaves out what stands between the title and a Preamble heading, and keeps several alternatives to one clause", () => {
    const s = recogniseStatement(
      paragraphsFromMarkdown(
        [
          "# T",
          "",
          "Zero draft of 5 December 2026",
          "",
          "## Preamble",
          "",
          "Recalling x,",
          "",
          "## Operative part",
          "",
          "1. Decide y;",
          "",
          "Alt 1. Decide z;",
          "",
          "[1 alt 2] Decide w;",
        ].join("\n"),
      ),
    );
    expect(outline(s)).toEqual(["PP1 Recalling x,", "OP1 Decide y;"]);
    expect(alternativesOf(s)).toEqual(["OP1: Decide z;", "OP1: Decide w;"]);
    expect(s.warnings).toContain("Left out the paragraph between the title and “Preamble”: “Zero draft of 5 December 2026”.");
  });

  it("takes bullets under Preamble as preambular clauses unless the clause before announces a list, and tells a jump in numbers once", () => {
    const s = recogniseStatement(
      paragraphsFromMarkdown(
        [
          "# T",
          "",
          "## Preamble",
          "",
          "- Recalling x,",
          "- Welcoming w,",
          "- Noting the following:",
          "- y;",
          "- z,",
          "",
          "## Operative part",
          "",
          "3. Decide a;",
          "4. Decide b;",
          "5. Decide c.",
        ].join("\n"),
      ),
    );
    expect(outline(s)).toEqual([
      "PP1 Recalling x,",
      "PP2 Welcoming w,",
      "PP3 Noting the following: (y;) (z,)",
      "OP1 Decide a;",
      "OP2 Decide b;",
      "OP3 Decide c.",
    ]);
    expect(s.warnings.filter((w) => w.includes("not consecutive"))).toEqual([
      "The clause numbered “3.” in the file is OP1 here: the numbers in the file are not consecutive.",
    ]);
  });

  it("still reads an escaped number as text, and a draft without headings as before", () => {
    const s = recogniseStatement(
      paragraphsFromMarkdown(["# T", "", "1\\. Recalling x,", "", "\\(a) Noting y,", "", "1. Decide y."].join("\n")),
    );
    expect(outline(s)).toEqual(["PP1 1. Recalling x,", "PP2 (a) Noting y,", "OP1 Decide y."]);
  });
});

describe("recognising Word's HTML (as mammoth writes it)", () => {
  it("reads typed numbers, 2 bis and 5 alt. in plain paragraphs without dropping or shifting any clause", () => {
    const html =
      "<h1>Draft Joint Statement</h1><h2>Preamble</h2><p><em>Recalling</em> the 2024 outcome,</p><p><em>Noting</em> the costs,</p>" +
      "<h2>Operative part</h2><p>1. <em>Decide</em> to act;</p><p>2. <em>Request</em> the secretariat:</p><p>(a) to report;</p>" +
      "<p>(b) to consult;</p><p>2 bis. <em>Invite</em> donors to contribute;</p><p>3. <em>Urge</em> all States;</p>" +
      "<p>4. <em>Welcome</em> progress;</p><p>5. <em>Encourage</em> cooperation;</p><p>5 alt. <em>Call upon</em> all parties to cooperate;</p>" +
      "<p>6. <em>Decide</em> to remain seized of the matter.</p>";
    const s = recogniseStatement(paragraphsFromHtml(html));
    expect(s.title).toBe("Draft Joint Statement");
    expect(outline(s)).toEqual(expectedOutline);
    expect(alternativesOf(s)).toEqual(["OP5: Call upon all parties to cooperate;"]);
  });

  it("reads Word's automatic numbering split by a typed 2 bis and [5 alt], with bold-only part headings", () => {
    const html =
      "<p><strong>Draft Joint Statement</strong></p><p><strong>PREAMBULAR PART</strong></p><p><em>Recalling</em> the 2024 outcome,</p>" +
      "<p><em>Noting</em> the costs,</p><p><strong>Operative paragraphs:</strong></p>" +
      "<ol><li><em>Decide</em> to act; </li><li><em>Request</em> the secretariat: <ol><li>to report;</li><li>to consult;</li></ol></li></ol>" +
      "<p>2 bis. <em>Invite</em> donors to contribute;</p><ol><li><em>Urge</em> all States; </li><li><em>Welcome</em> progress; </li>" +
      "<li><em>Encourage</em> cooperation; </li></ol><p>[5 alt] <em>Call upon</em> all parties to cooperate;</p>" +
      "<ol><li><em>Decide</em> to remain seized of the matter.</li></ol>";
    const s = recogniseStatement(paragraphsFromHtml(html));
    expect(s.title).toBe("Draft Joint Statement");
    expect(outline(s)).toEqual(expectedOutline);
    expect(alternativesOf(s)).toEqual(["OP5: Call upon all parties to cooperate;"]);
    expect(s.warnings).toContain(
      "Recognised the headings “PREAMBULAR PART” and “Operative paragraphs:” as the two parts; they are not clauses.",
    );
    expect(s.warnings).toContain("Recognised 6 numbered clauses (6 by Word's automatic numbering); Concord numbers them itself.");
  });

  it("takes numbered paragraphs under a Preamble heading as preambular until numbering starts after unnumbered ones", () => {
    const s = recogniseStatement(
      paragraphsFromHtml("<h1>T</h1><h2>Preamble</h2><p>Recalling x,</p><p>Noting y,</p><ol><li>Decide z;</li><li>Request w.</li></ol>"),
    );
    expect(outline(s)).toEqual(["PP1 Recalling x,", "PP2 Noting y,", "OP1 Decide z;", "OP2 Request w."]);
    expect(s.warnings).toContain(
      "No “Operative part” heading was found: the operative part was taken to start at the first numbered paragraph.",
    );
  });
});

describe("recognising numbered preambles", () => {
  it("keeps Word-numbered preambular paragraphs under their heading when an operative heading follows", () => {
    const s = recogniseStatement(
      paragraphsFromHtml(
        "<p><strong>JOINT STATEMENT</strong></p><h3>A. Preambular paragraphs</h3><ol><li>Recalling x,</li><li>Noting y,</li></ol>" +
          "<h3>B. Operative paragraphs</h3><ol><li>Decide z;</li></ol><p>OP1 bis.\u00a0Invite w;</p><p>OP 1 alt.\u00a0Ask v;</p>",
      ),
    );
    expect(outline(s)).toEqual(["PP1 Recalling x,", "PP2 Noting y,", "OP1 Decide z;", "OP1 bis Invite w;"]);
    expect(alternativesOf(s)).toEqual(["OP1: Ask v;"]);
    expect(s.warnings.some((w) => w.includes("No “Operative part” heading"))).toBe(false);
  });
});

describe("the preview's round trip", () => {
  const valid = {
    title: "T",
    preamble: [{ runs: [{ text: "Recalling x," }], items: [] }],
    operative: [{ runs: [{ text: "Decide y." }], items: [] }],
  };

  it("refuses an alternative for a clause the draft does not have, or one without text", () => {
    const alternative = { part: "op", clause: 0, runs: [{ text: "Decide z." }], items: [] };
    expect(importedStatementSchema.safeParse({ ...valid, alternatives: [alternative] }).success).toBe(true);
    expect(importedStatementSchema.safeParse({ ...valid, alternatives: [{ ...alternative, clause: 1 }] }).success).toBe(false);
    expect(importedStatementSchema.safeParse({ ...valid, alternatives: [{ ...alternative, part: "pp", clause: 3 }] }).success).toBe(false);
    expect(importedStatementSchema.safeParse({ ...valid, alternatives: [{ ...alternative, runs: [{ text: " " }] }] }).success).toBe(false);
    expect(importedStatementSchema.safeParse({ ...valid, alternatives: [{ ...alternative, clause: -1 }] }).success).toBe(false);
    expect(importedStatementSchema.safeParse({ ...valid, alternatives: [{ ...alternative, label: "OP1" }] }).success).toBe(false);
  });
});

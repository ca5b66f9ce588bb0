import { describe, expect, it } from "../support/fixtures";
import { createClauseState, createPosition, createProposal } from "../support/factories";
import { compilationEntries, createDelegatesFixture, type DelegatesFixture } from "../support/negotiation";
import { getPage } from "../support/http";

let f: DelegatesFixture;
let html: string;

it.beforeAll(async ({ db, server }) => {
  f = await createDelegatesFixture(db.sql);
  const { Norway, France, Germany } = f.delegates;
  const base = { documentId: f.documentId };
  // P1: Norway would replace OP2's opening; France co-sponsors, Germany objects.
  const p1 = await createProposal(db.sql, {
    ...base,
    createdBy: Norway.userId,
    delegationId: Norway.delegationId,
    kind: "replace",
    clauseId: f.ids.OP2,
    baseText: "Urge all States to act now",
    text: "Call upon all States to act now",
  });
  await createPosition(db.sql, { proposalId: p1.id, delegationId: France.delegationId, position: "cosponsor", userId: France.userId });
  await createPosition(db.sql, {
    proposalId: p1.id,
    delegationId: Germany.delegationId,
    position: "object",
    userId: Germany.userId,
    reason: "Too vague",
  });
  // P2: France would delete OP3. P3: Germany proposes a clause after OP4. P4: Norway asks to retain OP5.
  await createProposal(db.sql, {
    ...base,
    createdBy: France.userId,
    delegationId: France.delegationId,
    kind: "delete",
    clauseId: f.ids.OP3,
    baseText: f.texts.OP3,
  });
  await createProposal(db.sql, {
    ...base,
    createdBy: Germany.userId,
    delegationId: Germany.delegationId,
    kind: "add",
    clauseId: f.ids.OP4,
    text: "Invite all donors to pledge",
  });
  const p4 = await createProposal(db.sql, {
    ...base,
    createdBy: Norway.userId,
    delegationId: Norway.delegationId,
    kind: "retain",
    clauseId: f.ids.OP5,
    baseText: f.texts.OP5,
  });
  await createPosition(db.sql, { proposalId: p4.id, delegationId: Germany.delegationId, position: "support", userId: Germany.userId });
  // P5: the chair's accepted addition created the clause now after OP6 (the demo's OP7): provisional.
  await createProposal(db.sql, {
    ...base,
    createdBy: f.chair.userId,
    kind: "add",
    clauseId: f.ids.OP6,
    status: "accepted",
    newClauseId: f.ids.OP7,
    text: f.texts.OP7,
  });
  await createClauseState(db.sql, { documentId: f.documentId, clauseId: f.ids.OP1, state: "agreed", userId: f.chair.userId });
  await createClauseState(db.sql, { documentId: f.documentId, clauseId: f.ids.OP6, state: "under_negotiation", userId: f.chair.userId });
  const page = await getPage(server.url, `/documents/${f.documentId}/compilation`, f.delegates.France.cookie);
  expect(page.status).toBe(200);
  html = page.html;
});

const entry = (label: string) => compilationEntries(html).find((e) => e.label === label)!;

describe("the compilation", () => {
  it("shows the whole statement in order, a proposed clause right after the clause it follows, provisional clauses as bis", () => {
    expect(compilationEntries(html).map((e) => e.label)).toEqual([
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => `PP${n}`),
      "OP1",
      "OP2",
      "OP3",
      "OP4",
      "OP4 bis",
      "OP5",
      "OP6",
      "OP6 bis",
    ]);
    expect(entry("OP4 bis").proposed).toBe(true);
    expect(entry("OP4 bis").html).toContain("— proposed by Germany");
    expect(entry("OP4 bis").html).toContain(
      '<ins><span class="visually-hidden">[inserted: </span>Invite all donors to pledge<span class="visually-hidden">]</span></ins>',
    );
    expect(entry("PP1").html).toContain("We, the participants");
  });

  it("shows each clause's state, and brackets the text still under negotiation but never an agreed clause", () => {
    expect(entry("OP1").html).toContain('data-state="agreed"');
    expect(entry("OP1").html).toContain(">Agreed<");
    expect(entry("OP1").html).not.toContain("clause-text bracketed");
    for (const label of ["OP2", "OP3", "OP6", "OP6 bis"]) expect(entry(label).html, label).toContain('class="clause-text bracketed">[');
    expect(entry("OP6").html).toContain(">Under negotiation<");
    // Neither a retention nor a proposed addition after it brackets a clause.
    for (const label of ["OP4", "OP5", "PP1"]) expect(entry(label).html, label).toContain('class="clause-text">');
  });

  it("lists each proposal with its label, number, sponsor, co-sponsors, supporters, objections with reasons and status", () => {
    const op2 = entry("OP2").html;
    expect(op2).toMatch(
      /OP2 alt<\/strong> <a class="proposal-number" aria-label="P1: open the proposal"[^>]*href="\/documents\/[^/]+\/proposals\/[^"]+">P1<\/a>/,
    );
    expect(op2).toContain("<dt>Proposed by</dt><dd>Norway</dd>");
    expect(op2).toContain("<dt>Co-sponsor</dt><dd>France</dd>");
    // One of each, so each heading is in the singular.
    expect(op2).toMatch(/<dt>Objection<\/dt>.*Germany<!-- -->: Too vague/s);
    expect(op2).toContain(">Submitted<");
    expect(entry("OP3").html).toContain("Delete OP3");
    expect(entry("OP5").html).toContain("Retain OP5");
    expect(entry("OP5").html).toContain("<dt>Supported by</dt><dd>Germany</dd>");
    expect(entry("OP6 bis").html).toMatch(/OP6 bis<\/strong> <a class="proposal-number" aria-label="P5: open the proposal"[^>]*>P5<\/a>/);
    expect(entry("OP6 bis").html).toContain("<dd>The Chair</dd>");
    expect(entry("OP6 bis").html).toContain(">Accepted<");
  });

  it("marks a replacement's change inline, word by word, against its base text", () => {
    expect(entry("OP2").html).toContain(
      '<p class="word-diff proposal-text"><del><span class="visually-hidden">[deleted: </span>Urge<span class="visually-hidden">]</span></del><ins><span class="visually-hidden">[inserted: </span>Call upon<span class="visually-hidden">]</span></ins><span> all States to act now</span></p>',
    );
    expect(entry("OP3").html).toMatch(
      /<p class="word-diff proposal-text"><del><span class="visually-hidden">\[deleted: <\/span>Reaffirm|<del><span class="visually-hidden">\[deleted: <\/span>[^<]+<span class="visually-hidden">\]<\/span><\/del><\/p>/,
    );
  });

  it("counts agreed clauses of the total, clauses with open proposals, pending proposals and proposals per delegation", () => {
    expect(html).toMatch(/<li data-count="agreed"><strong>1<\/strong> of <!-- -->14<!-- --> clauses agreed/);
    expect(html).toMatch(/<li data-count="open"><strong>3<\/strong> clauses with open proposals/);
    expect(html).toMatch(/<li data-count="pending"><strong>4<\/strong> proposals pending/);
    const table = html.split('<table class="per-delegation">')[1].split("</table>")[0];
    const rows = [...table.matchAll(/<th scope="row">([^<]+)<\/th><td>(\d+)<\/td>/g)].map((m) => `${m[1]}: ${m[2]}`);
    expect(rows).toEqual(["France: 1", "Germany: 1", "Norway: 2", "The Chair: 1"]);
  });

  it("is linked from the statement page and the conference page", async ({ server }) => {
    const statement = await getPage(server.url, `/documents/${f.documentId}`, f.observer.cookie);
    expect(statement.html).toContain(`href="/documents/${f.documentId}/compilation"`);
    const conference = await getPage(server.url, `/conferences/${f.conferenceId}`, f.observer.cookie);
    expect(conference.html).toContain(`href="/documents/${f.documentId}/compilation"`);
  });
});

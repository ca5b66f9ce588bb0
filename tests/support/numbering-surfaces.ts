import type { Sql } from "../../server/db/sql";
import type { Actor } from "../../server/negotiation/actor";
import { findDocument } from "../../server/queries/documents";
import { listVersions } from "../../server/queries/versions";
import { currentStatement } from "../../server/negotiation/numbering";
import type { ClauseInfo } from "../../app/statement/numbering";
import { compileStatement } from "../../server/negotiation/compilation";
import { negotiationMarks } from "../../server/negotiation/marks";
import { visibleProposals } from "../../server/negotiation/proposal-views";
import { compareSides, readSide } from "../../server/versions/compare";
import { expect } from "vitest";
import type { TestServer } from "./server";
import { loaderData } from "./http";

type Labels = Map<string, string>;

/**
 * Surfaces that name some clauses only: the side panels those with proposals on them, exports the
 * operative clauses (preambular clauses are printed unnumbered). Any other surface that leaves a
 * clause out disagrees with the numbering.
 */
const partialSurfaces = new Set(["panel", "pagePanel", "draftExport"]);

/** Where the surfaces' labels differ from `labels` (clause id → label), one line each. */
export function disagreements(surfaces: Record<string, Labels>, labels: Labels): string[] {
  return Object.entries(surfaces).flatMap(([surface, named]) =>
    [...labels].flatMap(([id, label]) =>
      named.get(id) === label || (!named.has(id) && partialSurfaces.has(surface)) ? [] : [`${surface}: ${named.get(id)} for ${label}`],
    ),
  );
}

/** Gives a factory-made proposal's revision the clause body acceptance writes (the factory stores its text only). */
export async function withRevisionContent(sql: Sql, proposalId: string): Promise<void> {
  await sql`
    update proposal_revisions
    set content = jsonb_build_array(jsonb_build_object('type', 'paragraph', 'content', jsonb_build_array(jsonb_build_object('type', 'text', 'text', text))))
    where proposal_id = ${proposalId}`;
}

/** The operative clauses of a Markdown export, by the number printed before each ("3 bis." is OP3 bis), in order. */
function markdownOperativeLabels(md: string): string[] {
  return md.split("\n").flatMap((line) => {
    const m = /^((?:\d+|Pre-OP1)(?: [a-z]+(?: \d+)?)?)\. /.exec(line);
    if (!m) return [];
    return [m[1].startsWith("Pre-") ? m[1] : `OP${m[1]}`];
  });
}

/**
 * What each surface calls each clause (by id) of a statement, and for the compilation each
 * proposal too: `now` for the text as it stands, `before` for the version `before` (its page, its
 * draft export and the redline's old side), to compare with the numbering remembered then.
 */
export async function labelsOnEverySurface(
  sql: Sql,
  server: TestServer,
  o: { documentId: string; chair: Actor; cookie: string; before: string },
): Promise<{ now: Record<string, Labels>; before: Record<string, Labels>; compilation: Labels }> {
  const document = (await findDocument(sql, o.documentId))!;
  const versionPage = async (versionId: string): Promise<Labels> => {
    const { text } = await loaderData<{ text: { preamble: { id: string; label: string }[]; operative: { id: string; label: string }[] } }>(
      server,
      `/documents/${o.documentId}/versions/${versionId}`,
      "routes/documents.$documentId_.versions.$versionId",
      o.cookie,
    );
    return new Map([...text.preamble, ...text.operative].map((c) => [c.id, c.label]));
  };
  // The Markdown of a draft export, whose operative clauses with text are numbered, in order.
  const draftMarkdown = async (version: string): Promise<string> => {
    const res = await fetch(`${server.url}/documents/${o.documentId}/export?format=md&draft=1&version=${version}`, {
      headers: { cookie: o.cookie },
    });
    if (!res.ok) throw new Error(`export: ${res.status}`);
    return res.text();
  };
  const exported = (md: string, clauses: readonly ClauseInfo[]): Labels => {
    const printed = markdownOperativeLabels(md);
    const operative = clauses.filter((c) => c.part === "op" && c.text.trim());
    expect(printed).toHaveLength(operative.length);
    return new Map(operative.map((c, i) => [c.id!, printed[i]]));
  };

  const [[latest], stored, from, to, compiled, { proposals }, page, currentMd, beforeMd, beforePage] = await Promise.all([
    listVersions(sql, o.documentId),
    currentStatement(sql, o.documentId),
    readSide(sql, document, o.before),
    readSide(sql, document, "current"),
    compileStatement(sql, await negotiationMarks(sql, document), o.chair, { delegationId: null, state: null, status: null }),
    visibleProposals(sql, o.documentId, o.chair),
    loaderData<{ clauseLabels: Record<string, string>; proposals: { clauseId: string | null; kind: string; target: string }[] }>(
      server,
      `/documents/${o.documentId}`,
      "routes/documents.$documentId",
      o.cookie,
    ),
    draftMarkdown("current"),
    draftMarkdown(o.before),
    versionPage(o.before),
  ]);

  const compilation: Labels = new Map();
  for (const e of compiled.entries) {
    if (e.type === "clause") {
      compilation.set(e.id!, e.label);
      for (const p of e.proposals) compilation.set(p.id, p.label);
    } else compilation.set(e.proposal.id, e.label);
  }
  const { redline } = await compareSides(sql, o.documentId, from!, to!);
  const side = (label: "oldLabel" | "newLabel"): Labels =>
    new Map(redline.clauses.flatMap((c) => (c.id && c[label] ? [[c.id, c[label]]] : [])));

  return {
    now: {
      numbering: new Map(stored.clauses.map((c) => [c.id!, c.label])),
      compilation,
      panel: new Map(proposals.flatMap((p) => (p.clauseId && p.kind !== "add" && p.clauseLabel ? [[p.clauseId, p.clauseLabel]] : []))),
      pageClauseLabels: new Map(Object.entries(page.clauseLabels)),
      pagePanel: new Map(page.proposals.flatMap((p) => (p.clauseId && p.kind !== "add" ? [[p.clauseId, p.target]] : []))),
      latestVersionPage: latest.id === o.before ? beforePage : await versionPage(latest.id),
      draftExport: exported(currentMd, stored.clauses),
      redlineNew: side("newLabel"),
    },
    before: {
      versionPage: beforePage,
      draftExport: exported(beforeMd, from!.clauses),
      redlineOld: side("oldLabel"),
    },
    compilation,
  };
}

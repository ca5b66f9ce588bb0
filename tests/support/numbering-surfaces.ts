import type { Sql } from "../../server/db/sql";
import type { Actor } from "../../server/negotiation/actor";
import { findDocument } from "../../server/queries/documents";
import { listVersions } from "../../server/queries/versions";
import { storedStatement } from "../../server/negotiation/statement";
import { compileStatement } from "../../server/negotiation/compilation";
import { visibleProposals } from "../../server/negotiation/proposal-views";
import { compareSides, readSide } from "../../server/versions/compare";
import type { TestServer } from "./server";
import { decode } from "turbo-stream";

/** A route's loader data, as Remix serves it to the browser's navigations (single fetch: a turbo-stream). */
async function loaderData<T>(server: TestServer, path: string, route: string, cookie: string): Promise<T> {
  const res = await fetch(`${server.url}${path}.data?_routes=${encodeURIComponent(route)}`, { headers: { cookie } });
  if (!res.ok || !res.body) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  const decoded = await decode(res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new TextEncoderStream()));
  await decoded.done;
  return (decoded.value as Record<string, { data: T }>)[route].data;
}

type Labels = Map<string, string>;

/** Gives a factory-made proposal's revision the clause body acceptance writes (the factory stores its text only). */
export async function withRevisionContent(sql: Sql, proposalId: string): Promise<void> {
  await sql`
    update proposal_revisions
    set content = jsonb_build_array(jsonb_build_object('type', 'paragraph', 'content', jsonb_build_array(jsonb_build_object('type', 'text', 'text', text))))
    where proposal_id = ${proposalId}`;
}

/**
 * What each surface calls each clause (by id) of a statement as it stands, and for the compilation
 * each proposal too. The redline compares `before` (a version id) with the current text; its
 * "before" side is checked against the labels that version's page gives.
 */
export async function labelsOnEverySurface(
  sql: Sql,
  server: TestServer,
  o: { documentId: string; chair: Actor; cookie: string; before: string },
): Promise<Record<string, Labels> & { compilation: Labels }> {
  const document = (await findDocument(sql, o.documentId))!;
  const stored = await storedStatement(sql, o.documentId);
  const numbering = new Map(stored.clauses.map((c) => [c.id!, c.label]));

  const compiled = await compileStatement(sql, document, o.chair, { delegationId: null, state: null, status: null });
  const compilation: Labels = new Map();
  for (const e of compiled.entries) {
    if (e.type === "clause") {
      compilation.set(e.id!, e.label);
      for (const p of e.proposals) compilation.set(p.id, p.label);
    } else compilation.set(e.proposal.id, e.label);
  }

  const { proposals } = await visibleProposals(sql, o.documentId, o.chair);
  const panel: Labels = new Map(
    proposals.flatMap((p) => (p.clauseId && p.kind !== "add" && p.clauseLabel ? [[p.clauseId, p.clauseLabel]] : [])),
  );

  const page = await loaderData<{
    clauseLabels: Record<string, string>;
    proposals: { clauseId: string | null; kind: string; target: string }[];
  }>(server, `/documents/${o.documentId}`, "routes/documents.$documentId", o.cookie);
  const pagePanel: Labels = new Map(page.proposals.flatMap((p) => (p.clauseId && p.kind !== "add" ? [[p.clauseId, p.target]] : [])));

  const [latest] = await listVersions(sql, o.documentId);
  const version = await loaderData<{ text: { preamble: { id: string; label: string }[]; operative: { id: string; label: string }[] } }>(
    server,
    `/documents/${o.documentId}/versions/${latest.id}`,
    "routes/documents.$documentId_.versions.$versionId",
    o.cookie,
  );
  const versionPage: Labels = new Map([...version.text.preamble, ...version.text.operative].map((c) => [c.id, c.label]));

  const [from, to] = [await readSide(sql, o.documentId, o.before), await readSide(sql, o.documentId, "current")];
  const { redline } = await compareSides(sql, o.documentId, from!, to!);
  const redlineNew: Labels = new Map(redline.clauses.flatMap((c) => (c.id && c.newLabel ? [[c.id, c.newLabel]] : [])));

  return {
    numbering,
    compilation,
    panel,
    pageClauseLabels: new Map(Object.entries(page.clauseLabels)),
    pagePanel,
    versionPage,
    redlineNew,
  };
}

import * as Y from "yjs";
import type { Db } from "../../db/sql";
import { listVersions, type VersionSummary } from "../../queries/versions";
import { acceptedAdditions } from "../../queries/proposals";
import { loadClaims, loadUpdates } from "../../queries/document-state";
import { lastTextChange, userNames, versionStates } from "../../queries/story";
import type { ProposalRow } from "../../queries/proposals";
import { proposalsOnClause } from "./clause-proposals";
import { currentProvisional } from "../numbering";
import { provisionalClauseIds } from "../provisional";
import { docOf, readDoc } from "../statement";
import { versionLabel } from "../../../app/statement/version-labels";
import { cacheClauses, cachedClauses, clausesOf, clientsWriting, type ClauseAt } from "./clause-texts";
import type { StoryContext, StorySource, TextEntry, TextOrigin } from "./entries";
import { breakoutName, mayReadBreakout } from "../../breakouts/rules";

/**
 * Every text the clause has had, as far as what is stored tells it exactly: the statement keeps
 * full versions (its zero draft, named revisions, a checkpoint after every accepted proposal,
 * timed checkpoints while it changes, restores) and its current text, not every keystroke. So a
 * text here is the clause in each version where it differs from the version before, and in the
 * current text where it differs from the newest version. What made each change is told by the
 * version: a checkpoint after a proposal on this clause, a restore, the first version; anything
 * else is direct editing by the pen holders between the two versions, named by who typed the new
 * words (the Yjs client ids in it, whose owners the collaboration server records).
 */
export const textHistory: StorySource = {
  name: "texts",
  sight: "text",
  async entries(ctx) {
    const { sql, document, clauseId } = ctx;
    const [versions, additions, { onClause }] = await Promise.all([
      listVersions(sql, document.id).then((v) => v.reverse()),
      acceptedAdditions(sql, document.id),
      proposalsOnClause(sql, document.id, clauseId),
    ]);
    const texts = await versionClauses(sql, document, versions, additions);
    const byProposal = new Map(onClause.map((p) => [p.id, p]));
    // The proposals a compromise on this clause replaced are on this clause too.
    const merges = new Map<string, number[]>();
    for (const p of onClause) if (p.mergedInto) merges.set(p.mergedInto, [...(merges.get(p.mergedInto) ?? []), p.number]);
    const labels = new Map(versions.map((v) => [v.id, versionLabel(v)]));

    const entries: TextEntry[] = [];
    let previous = null as { version: VersionSummary; clause: ClauseAt | undefined } | null;
    for (const version of versions) {
      const clause = texts.get(version.id)!.get(clauseId);
      if (clause?.text !== previous?.clause?.text) {
        const origin = originOf(ctx, version, previous?.version ?? null, byProposal, merges, labels);
        entries.push({
          kind: "text",
          at: version.createdAt.toISOString(),
          label: clause?.label ?? previous?.clause?.label ?? "",
          text: clause?.text ?? null,
          before: previous?.clause?.text ?? null,
          origin: origin ?? { type: "edit", writers: await writersBetween(sql, document.id, clauseId, version, previous!.version) },
          version: { id: version.id, number: version.number, label: labels.get(version.id)! },
        });
      }
      previous = { version, clause };
    }

    // The text as it stands, when it has moved on from the newest version.
    const [updates, provisional] = await Promise.all([loadUpdates(sql, document.id), currentProvisional(sql, document.id)]);
    const now = readDoc(updates, (ydoc) => clausesOf(ydoc, provisional)).get(clauseId);
    if (now?.text !== previous?.clause?.text) {
      const since = previous ? (await versionStates(sql, document.id, [previous.version.id])).get(previous.version.id)!.state : null;
      const writers = since ? await writerNames(sql, document.id, updates, clauseId, Y.encodeStateVectorFromUpdate(since)) : [];
      entries.push({
        kind: "text",
        at: ((await lastTextChange(sql, document.id)) ?? new Date()).toISOString(),
        label: now?.label ?? previous?.clause?.label ?? "",
        text: now?.text ?? null,
        before: previous?.clause?.text ?? null,
        origin: previous ? { type: "edit", writers } : { type: "first" },
        version: null,
      });
    }
    // Which proposal a change came from is the negotiation's (as on the redline and history pages).
    return ctx.sight === "negotiation" ? entries : entries.map(textOnly);
  },
};

function textOnly(entry: TextEntry): TextEntry {
  return entry.origin.type === "proposal" || entry.origin.type === "package" ? { ...entry, origin: { type: "edit", writers: [] } } : entry;
}

/** What made the change a version records, when the version tells it; null for direct editing. */
function originOf(
  { viewer, conference }: Pick<StoryContext, "viewer" | "conference">,
  version: VersionSummary,
  previous: VersionSummary | null,
  proposals: ReadonlyMap<string, ProposalRow>,
  merges: ReadonlyMap<string, number[]>,
  labels: ReadonlyMap<string, string>,
): TextOrigin | null {
  if (!previous) return { type: "first" };
  if (version.kind === "restore")
    return { type: "restore", from: labels.get(version.restoredFrom!) ?? `version ${version.restoredFromNumber}` };
  const p = version.proposalId ? proposals.get(version.proposalId) : undefined;
  if (p?.package) {
    const seen = mayReadBreakout({ ...p.package, status: "ended" }, viewer, conference);
    const breakout = breakoutName({ number: p.package.breakoutNumber });
    return {
      type: "package",
      number: p.number,
      breakout,
      breakoutId: seen ? p.package.breakoutId : null,
      facilitator: seen ? p.package.facilitatorName : null,
    };
  }
  if (p) return { type: "proposal", number: p.number, sponsor: p.delegationCode, merged: merges.get(p.id) ?? [] };
  return null;
}

/** Each version's clauses, read once per process (`cachedClauses`), numbered as they were then. */
async function versionClauses(
  sql: Db,
  document: StoryContext["document"],
  versions: readonly VersionSummary[],
  additions: Awaited<ReturnType<typeof acceptedAdditions>>,
): Promise<Map<string, Map<string, ClauseAt>>> {
  const out = new Map<string, Map<string, ClauseAt>>();
  const missing: string[] = [];
  for (const v of versions) {
    const found = cachedClauses(v.id);
    if (found) out.set(v.id, found);
    else missing.push(v.id);
  }
  // In batches: each state is a whole statement.
  for (let i = 0; i < missing.length; i += 50) {
    const batch = missing.slice(i, i + 50);
    const stored = await versionStates(sql, document.id, batch);
    for (const id of batch) {
      const version = versions.find((v) => v.id === id)!;
      const { state, clauseStates } = stored.get(id)!;
      const adopted = document.adoptedAt !== null && version.createdAt >= document.adoptedAt;
      const provisional = provisionalClauseIds(additions, clauseStates, adopted);
      const clauses = readDoc([state], (ydoc) => clausesOf(ydoc, provisional));
      cacheClauses(id, clauses);
      out.set(id, clauses);
    }
  }
  return out;
}

/** Who typed the clause's new words between two versions. */
async function writersBetween(sql: Db, documentId: string, clauseId: string, version: VersionSummary, previous: VersionSummary) {
  const states = await versionStates(sql, documentId, [version.id, previous.id]);
  return writerNames(
    sql,
    documentId,
    [states.get(version.id)!.state],
    clauseId,
    Y.encodeStateVectorFromUpdate(states.get(previous.id)!.state),
  );
}

/** The people (by name, in order of name) whose clients wrote the clause's words that are new since `since`. */
async function writerNames(sql: Db, documentId: string, updates: Uint8Array[], clauseId: string, since: Uint8Array): Promise<string[]> {
  const ydoc = docOf(updates);
  let clients: Set<number>;
  try {
    clients = clientsWriting(ydoc, clauseId, since);
  } finally {
    ydoc.destroy();
  }
  if (clients.size === 0) return [];
  const claims = await loadClaims(sql, documentId);
  // The server's own changes (an acceptance, a restore) are told by the version; they name nobody.
  const owners = [...new Set([...clients].map((c) => claims.get(c)).filter((o): o is string => !!o && o !== "server"))];
  const names = await userNames(sql, owners);
  return owners
    .map((o) => names.get(o))
    .filter((n): n is string => !!n)
    .sort();
}

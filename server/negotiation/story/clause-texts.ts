import * as Y from "yjs";
import { statementField } from "../../../app/statement/schema";
import { listClauses } from "../../../app/statement/numbering";
import { statementDoc } from "../statement";

/** A clause as one text of the statement has it. */
export interface ClauseAt {
  label: string;
  text: string;
}

/** Every clause of a statement's Y.Doc by id, labelled with the provisional clauses of that moment. */
export function clausesOf(ydoc: Y.Doc, provisional: ReadonlySet<string>): Map<string, ClauseAt> {
  const out = new Map<string, ClauseAt>();
  for (const c of listClauses(statementDoc(ydoc), provisional)) if (c.id) out.set(c.id, { label: c.label, text: c.text });
  return out;
}

/**
 * Versions never change, and a long negotiation has hundreds: each one's clauses are read from
 * its Yjs state once per process and kept (the newest used, up to a bound), so a story costs the
 * decoding of versions no story has read yet.
 */
const maxCachedVersions = 500;
const cache = new Map<string, Map<string, ClauseAt>>();

export function cachedClauses(versionId: string): Map<string, ClauseAt> | undefined {
  const found = cache.get(versionId);
  if (found) {
    cache.delete(versionId);
    cache.set(versionId, found);
  }
  return found;
}

export function cacheClauses(versionId: string, clauses: Map<string, ClauseAt>): void {
  cache.set(versionId, clauses);
  while (cache.size > maxCachedVersions) cache.delete(cache.keys().next().value!);
}

/** The clause element with this id in a statement's Y.Doc, or null. */
function clauseElement(ydoc: Y.Doc, clauseId: string): Y.XmlElement | null {
  for (const part of ydoc.getXmlFragment(statementField).toArray()) {
    if (!(part instanceof Y.XmlElement)) continue;
    for (const el of part.toArray())
      if (el instanceof Y.XmlElement && el.nodeName === "clause" && el.getAttribute("id") === clauseId) return el;
  }
  return null;
}

/**
 * The Yjs clients that wrote what is in the clause now and was not in the text at state vector
 * `since` (every client when null): who typed its new words. Deletions carry no author in Yjs,
 * so a change that only deleted names nobody.
 */
export function clientsWriting(ydoc: Y.Doc, clauseId: string, since: Uint8Array | null): Set<number> {
  const before = since ? Y.decodeStateVector(since) : new Map<number, number>();
  const clients = new Set<number>();
  const walk = (type: { _start: Y.Item | null }) => {
    for (let item = type._start; item; item = item.right) {
      if (item.deleted) continue;
      if (item.id.clock + item.length > (before.get(item.id.client) ?? 0)) clients.add(item.id.client);
      if (item.content instanceof Y.ContentType) walk(item.content.type);
    }
  };
  const element = clauseElement(ydoc, clauseId);
  if (element) walk(element);
  return clients;
}

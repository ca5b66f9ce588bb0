import * as Y from "yjs";
import type { Db, Sql } from "../db/sql";

/**
 * Appends a batch of Yjs updates to a document's log in one INSERT (group commit), with the client
 * ids they were the first to use (a claim already stored stands).
 */
export async function appendUpdates(
  sql: Db,
  documentId: string,
  updates: Uint8Array[],
  claims: Map<number, string> = new Map(),
): Promise<void> {
  if (updates.length === 0) return;
  const bytes = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  // A room's write is one merged update: a fixed statement, where the rows helper would build
  // the query anew (a third of the round trip's cost to this process).
  const inserted =
    updates.length === 1
      ? sql`insert into document_updates (document_id, data) values (${documentId}, ${bytes(updates[0])})`
      : sql`insert into document_updates ${sql(
          updates.map((u) => ({ document_id: documentId, data: bytes(u) })),
          "document_id",
          "data",
        )}`;
  if (claims.size === 0) {
    await inserted;
    return;
  }
  const claimRows = [...claims].map(([client, owner]) => ({ document_id: documentId, client_id: client, owner }));
  await sql`
    with claimed as (insert into document_clients ${sql(claimRows, "document_id", "client_id", "owner")} on conflict do nothing)
    ${inserted}`;
}

/** The owner of each Yjs client id used in a document. */
export async function loadClaims(sql: Db, documentId: string): Promise<Map<number, string>> {
  const rows = await sql<{ clientId: string; owner: string }[]>`
    select client_id as "clientId", owner from document_clients where document_id = ${documentId}`;
  return new Map(rows.map((r) => [Number(r.clientId), r.owner]));
}

/** A document as stored: its snapshot followed by its logged updates, and their state vector where it is kept. */
export interface StoredDocument {
  updates: Uint8Array[];
  /** Kept for a snapshot with nothing logged after it (see compactDocument); null otherwise. */
  stateVector: Uint8Array | null;
}

/**
 * The document's snapshot followed by its logged updates, read by one statement so that a
 * compaction committing meanwhile cannot make the two disagree.
 */
export async function loadDocument(sql: Db, documentId: string): Promise<StoredDocument> {
  const rows = await sql<{ data: Buffer; stateVector: Buffer | null }[]>`
    select data, state_vector as "stateVector" from (
      select state as data, state_vector, 0 as part, 0::bigint as seq from document_snapshots where document_id = ${documentId}
      union all
      select data, null, 1 as part, id as seq from document_updates where document_id = ${documentId}
    ) s order by part, seq`;
  const stateVector = rows.length === 1 ? rows[0].stateVector : null;
  return { updates: rows.map((r) => new Uint8Array(r.data)), stateVector: stateVector && new Uint8Array(stateVector) };
}

export async function loadUpdates(sql: Db, documentId: string): Promise<Uint8Array[]> {
  return (await loadDocument(sql, documentId)).updates;
}

/** `loadUpdates` of several documents in one statement (a statement's translations), by document. */
export async function loadUpdatesOf(sql: Db, documentIds: readonly string[]): Promise<Map<string, Uint8Array[]>> {
  const out = new Map<string, Uint8Array[]>(documentIds.map((id) => [id, []]));
  if (documentIds.length === 0) return out;
  const rows = await sql<{ documentId: string; data: Buffer }[]>`
    select document_id as "documentId", data from (
      select document_id, state as data, 0 as part, 0::bigint as seq from document_snapshots
      where document_id = any(${sql.array(documentIds as string[])}::uuid[])
      union all
      select document_id, data, 1 as part, id as seq from document_updates
      where document_id = any(${sql.array(documentIds as string[])}::uuid[])
    ) s order by document_id, part, seq`;
  for (const r of rows) out.get(r.documentId)!.push(new Uint8Array(r.data));
  return out;
}

/**
 * What names the stored text as it is now: its newest logged update and when its snapshot was
 * written (a compaction changes it too, which costs only a fresh read).
 */
export async function textStamp(sql: Db, documentId: string): Promise<string> {
  const [row] = await sql<{ stamp: string }[]>`
    select coalesce((select max(id) from document_updates where document_id = ${documentId}), 0)::text || ' ' ||
           coalesce((select updated_at from document_snapshots where document_id = ${documentId})::text, '') as stamp`;
  return row.stamp;
}

export async function countLoggedUpdates(sql: Db, documentId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from document_updates where document_id = ${documentId}`;
  return row.n;
}

export async function storedBytes(sql: Db, documentId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select coalesce((select sum(octet_length(data)) from document_updates where document_id = ${documentId}), 0)::int
         + coalesce((select octet_length(state) from document_snapshots where document_id = ${documentId}), 0)::int as n`;
  return row.n;
}

/**
 * Folds the logged updates into the snapshot, in one transaction: a crash before commit leaves
 * everything as it was, and only the rows that were read (and so are in the new snapshot) are
 * deleted, so rows appended meanwhile are kept. Compactions of one document take turns on the
 * document row (NO KEY UPDATE does not block the appends' foreign-key checks).
 */
export async function compactDocument(sql: Sql, documentId: string): Promise<{ folded: number; bytes: number }> {
  return sql.begin(async (tx) => {
    const [doc] = await tx`select id from documents where id = ${documentId} for no key update`;
    if (!doc) return { folded: 0, bytes: 0 };
    const [snapshot] = await tx<{ state: Buffer }[]>`select state from document_snapshots where document_id = ${documentId}`;
    const rows = await tx<{ id: string; data: Buffer }[]>`
      select id, data from document_updates where document_id = ${documentId} order by id`;
    if (rows.length === 0) return { folded: 0, bytes: snapshot?.state.length ?? 0 };
    const ydoc = new Y.Doc();
    Y.transact(ydoc, () => {
      if (snapshot) Y.applyUpdate(ydoc, snapshot.state);
      for (const r of rows) Y.applyUpdate(ydoc, r.data);
    });
    const state = Y.encodeStateAsUpdate(ydoc);
    const stateVector = Y.encodeStateVector(ydoc);
    ydoc.destroy();
    await tx`
      insert into document_snapshots (document_id, state, state_vector)
      values (${documentId}, ${Buffer.from(state)}, ${Buffer.from(stateVector)})
      on conflict (document_id) do update set state = excluded.state, state_vector = excluded.state_vector, updated_at = now()`;
    await tx`delete from document_updates where id = any(${rows.map((r) => r.id)}::bigint[])`;
    return { folded: rows.length, bytes: state.length };
  });
}

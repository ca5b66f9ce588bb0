import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/sql";
import { isUuid } from "./ids";

/** Only the sha256 of a projection token is stored: a copy of the table gives no usable screen URL. */
export const hashScreenToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface ScreenTokenRow {
  id: string;
  documentId: string;
  label: string;
  createdByName: string;
  createdAt: Date;
  revokedByName: string | null;
  revokedAt: Date | null;
}

const columns = (sql: Db) => sql`
  t.id, t.document_id as "documentId", t.label, c.name as "createdByName", t.created_at as "createdAt",
  r.name as "revokedByName", t.revoked_at as "revokedAt"`;

/** A statement's projection tokens, newest first, revoked ones included. */
export async function listScreenTokens(sql: Db, documentId: string): Promise<ScreenTokenRow[]> {
  return sql<ScreenTokenRow[]>`
    select ${columns(sql)} from screen_tokens t join users c on c.id = t.created_by left join users r on r.id = t.revoked_by
    where t.document_id = ${documentId} order by t.created_at desc`;
}

/** Makes a token; returns its id and the token itself, which is never stored. */
export async function insertScreenToken(
  tx: Db,
  t: { documentId: string; label: string; createdBy: string },
): Promise<{ id: string; token: string }> {
  const token = randomBytes(32).toString("base64url");
  const [row] = await tx<{ id: string }[]>`
    insert into screen_tokens (document_id, token_hash, label, created_by)
    values (${t.documentId}, ${hashScreenToken(token)}, ${t.label}, ${t.createdBy}) returning id`;
  return { id: row.id, token };
}

/** Revokes a token of this statement; returns its label, or null when there is no such token or it was revoked already. */
export async function revokeScreenToken(tx: Db, documentId: string, tokenId: string, revokedBy: string): Promise<string | null> {
  if (!isUuid(tokenId)) return null;
  const [row] = await tx<{ label: string }[]>`
    update screen_tokens set revoked_at = now(), revoked_by = ${revokedBy}
    where id = ${tokenId} and document_id = ${documentId} and revoked_at is null returning label`;
  return row?.label ?? null;
}

/** The live token with this value for this statement: its id, or null (unknown, revoked, or another statement's). */
export async function findLiveScreenToken(sql: Db, documentId: string, token: string): Promise<{ id: string } | null> {
  if (!isUuid(documentId) || token.length === 0 || token.length > 100) return null;
  const [row] = await sql<{ id: string }[]>`
    select id from screen_tokens where document_id = ${documentId} and token_hash = ${hashScreenToken(token)} and revoked_at is null`;
  return row ?? null;
}

/** The statement of the live token with this id, or null once revoked (its open screens are then closed). */
export async function liveScreenTokenDocument(sql: Db, tokenId: string): Promise<string | null> {
  if (!isUuid(tokenId)) return null;
  const [row] = await sql<{ documentId: string }[]>`
    select document_id as "documentId" from screen_tokens where id = ${tokenId} and revoked_at is null`;
  return row?.documentId ?? null;
}

export async function screenAttributions(sql: Db, documentId: string): Promise<boolean> {
  const [row] = await sql<{ on: boolean }[]>`select screen_attributions as "on" from documents where id = ${documentId}`;
  return row?.on ?? false;
}

export async function setScreenAttributions(tx: Db, documentId: string, on: boolean): Promise<void> {
  await tx`update documents set screen_attributions = ${on} where id = ${documentId}`;
}

/** The live tokens of a conference's statements. */
export async function liveScreenTokensOfConference(sql: Db, conferenceId: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select t.id from screen_tokens t join documents d on d.id = t.document_id
    where d.conference_id = ${conferenceId} and t.revoked_at is null`;
  return rows.map((r) => r.id);
}

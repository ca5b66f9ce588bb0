import type { Db } from "../db/sql";
import { isUuid } from "./ids";

export interface DocumentRow {
  id: string;
  conferenceId: string;
  title: string;
  createdAt: Date;
}


export async function findDocument(sql: Db, id: string): Promise<DocumentRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql<DocumentRow[]>`
    select id, conference_id as "conferenceId", title, created_at as "createdAt"
    from documents where id = ${id}`;
  return row ?? null;
}

export async function createDocument(sql: Db, conferenceId: string, title: string): Promise<DocumentRow> {
  const [row] = await sql<DocumentRow[]>`
    insert into documents (conference_id, title) values (${conferenceId}, ${title})
    returning id, conference_id as "conferenceId", title, created_at as "createdAt"`;
  return row;
}

export async function listDocuments(sql: Db, conferenceId: string): Promise<DocumentRow[]> {
  return sql<DocumentRow[]>`
    select id, conference_id as "conferenceId", title, created_at as "createdAt"
    from documents where conference_id = ${conferenceId} order by created_at, title`;
}

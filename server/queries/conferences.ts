import type { Db } from "../db/sql";

export interface ConferenceRow {
  id: string;
  slug: string;
  title: string;
  subtitle: string;
  venue: string;
}

const columns = (sql: Db) => sql`id, slug, title, subtitle, venue`;

export async function findConference(sql: Db, id: string): Promise<ConferenceRow | null> {
  const [row] = await sql<ConferenceRow[]>`select ${columns(sql)} from conferences where id = ${id}`;
  return row ?? null;
}

export async function findConferenceBySlug(sql: Db, slug: string): Promise<ConferenceRow | null> {
  const [row] = await sql<ConferenceRow[]>`select ${columns(sql)} from conferences where slug = ${slug}`;
  return row ?? null;
}

export async function listConferences(sql: Db): Promise<ConferenceRow[]> {
  return sql<ConferenceRow[]>`select ${columns(sql)} from conferences order by created_at`;
}

export async function createConference(sql: Db, c: Omit<ConferenceRow, "id">): Promise<ConferenceRow> {
  const [row] = await sql<ConferenceRow[]>`
    insert into conferences (slug, title, subtitle, venue)
    values (${c.slug}, ${c.title}, ${c.subtitle}, ${c.venue})
    returning ${columns(sql)}`;
  return row;
}

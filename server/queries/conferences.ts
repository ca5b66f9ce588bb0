import type { Db } from "../db/sql";
import { isUuid } from "./ids";
import type { Confidentiality } from "../../app/statement/confidentiality";

export interface ConferenceRow {
  id: string;
  slug: string;
  title: string;
  subtitle: string;
  venue: string;
  /** What observers see of its statements. */
  confidentiality: Confidentiality;
  /** Its working languages (ISO 639-1, app/statement/languages.ts), in the order documents list them. */
  languages: string[];
  /** The first elements of its documents' symbols ("IMAC4/2026"); "" until the secretariat sets it. */
  symbolPrefix: string;
  /** Its first and last days, "2026-05-12", when set. */
  startsOn: string | null;
  endsOn: string | null;
}

/** What the secretariat sets of a conference for its documents' title blocks. */
export type ConferenceDetails = Pick<ConferenceRow, "venue" | "symbolPrefix" | "startsOn" | "endsOn">;

const columns = (sql: Db) =>
  sql`id, slug, title, subtitle, venue, confidentiality, languages, symbol_prefix as "symbolPrefix", starts_on::text as "startsOn", ends_on::text as "endsOn"`;

export async function findConference(sql: Db, id: string): Promise<ConferenceRow | null> {
  if (!isUuid(id)) return null;
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

export async function createConference(
  sql: Db,
  c: Pick<ConferenceRow, "slug" | "title" | "subtitle" | "venue"> & Partial<ConferenceDetails>,
): Promise<ConferenceRow> {
  const [row] = await sql<ConferenceRow[]>`
    insert into conferences (slug, title, subtitle, venue, symbol_prefix, starts_on, ends_on)
    values (${c.slug}, ${c.title}, ${c.subtitle}, ${c.venue}, ${c.symbolPrefix ?? ""}, ${c.startsOn ?? null}::date, ${c.endsOn ?? null}::date)
    returning ${columns(sql)}`;
  return row;
}

/** Sets the conference's details; those it had before that changed (empty when nothing did), under the row's lock. */
export async function setConferenceDetails(
  sql: Db,
  conferenceId: string,
  details: ConferenceDetails,
): Promise<{ before: Partial<ConferenceDetails>; after: Partial<ConferenceDetails> }> {
  const [row] = await sql<ConferenceRow[]>`select ${columns(sql)} from conferences where id = ${conferenceId} for update`;
  const keys = (Object.keys(details) as (keyof ConferenceDetails)[]).filter((k) => row[k] !== details[k]);
  if (keys.length === 0) return { before: {}, after: {} };
  await sql`
    update conferences set venue = ${details.venue}, symbol_prefix = ${details.symbolPrefix},
      starts_on = ${details.startsOn}::date, ends_on = ${details.endsOn}::date
    where id = ${conferenceId}`;
  return { before: Object.fromEntries(keys.map((k) => [k, row[k]])), after: Object.fromEntries(keys.map((k) => [k, details[k]])) };
}

/** Sets what observers see of the conference's statements; the previous mode, or null when unchanged. */
export async function setConfidentiality(sql: Db, conferenceId: string, mode: Confidentiality): Promise<Confidentiality | null> {
  const [row] = await sql<{ before: Confidentiality }[]>`
    update conferences c set confidentiality = ${mode}
    from (select confidentiality from conferences where id = ${conferenceId} for update) before
    where c.id = ${conferenceId} and before.confidentiality <> ${mode}
    returning before.confidentiality as before`;
  return row?.before ?? null;
}

export interface ConferenceListing extends ConferenceRow {
  createdAt: Date;
  /** E-mail addresses of the secretariat members. */
  secretariat: string[];
  memberCount: number;
}

export async function listConferencesWithSecretariat(sql: Db): Promise<ConferenceListing[]> {
  return sql<ConferenceListing[]>`
    select c.id, c.slug, c.title, c.subtitle, c.venue, c.confidentiality, c.languages, c.symbol_prefix as "symbolPrefix",
           c.starts_on::text as "startsOn", c.ends_on::text as "endsOn", c.created_at as "createdAt",
           coalesce(array(select u.email from memberships m join users u on u.id = m.user_id
                          where m.conference_id = c.id and m.role = 'secretariat' order by lower(u.email)), '{}') as secretariat,
           (select count(*)::int from memberships m where m.conference_id = c.id) as "memberCount"
    from conferences c order by c.created_at desc`;
}

/** A URL-safe slug from a title: "Géneva Talks 2026!" → "geneva-talks-2026". */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return slug || "conference";
}

/** The first of slug, slug-2, slug-3… that no conference uses yet. */
export async function availableSlug(sql: Db, base: string): Promise<string> {
  const taken = new Set(
    (await sql<{ slug: string }[]>`select slug from conferences where slug = ${base} or slug like ${`${base}-%`}`).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Sets the conference's working languages; the previous ones, or null when unchanged. */
export async function setConferenceLanguages(sql: Db, conferenceId: string, languages: readonly string[]): Promise<string[] | null> {
  const [row] = await sql<{ before: string[] }[]>`
    update conferences c set languages = ${sql.array(languages as string[])}::text[]
    from (select languages from conferences where id = ${conferenceId} for update) before
    where c.id = ${conferenceId} and before.languages <> ${sql.array(languages as string[])}::text[]
    returning before.languages as before`;
  return row?.before ?? null;
}

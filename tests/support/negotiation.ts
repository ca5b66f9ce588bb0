import type { Sql } from "../../server/db/sql";
import { readStatement } from "../../server/negotiation/statement";
import { subscribeNegotiationEvents, type NegotiationEvent } from "../../server/negotiation/events";
import { wallClock } from "../../server/negotiation/time-zones";
import { onCleanup } from "./cleanup";
import { csrfTokenFor } from "./people";
import { createSessionUser } from "./sessions";
import { createTestDocument } from "./statement";
import type { Role } from "../../app/statement/vocabulary";

/** A person with a session who submits forms as the page's fetchers do (with the anti-forgery token). */
export interface Participant {
  userId: string;
  cookie: string;
  delegationId: string | null;
  get(path: string): Promise<Response>;
  post(path: string, fields: Record<string, string>): Promise<Response>;
}

export async function participant(serverUrl: string, person: { userId: string; cookie: string; delegationId: string | null }): Promise<Participant> {
  const csrf = await csrfTokenFor(serverUrl, person.cookie);
  return {
    ...person,
    get: (path) => fetch(`${serverUrl}${path}`, { headers: { cookie: person.cookie }, redirect: "manual" }),
    post: (path, fields) =>
      fetch(`${serverUrl}${path}`, { method: "POST", headers: { cookie: person.cookie }, body: new URLSearchParams({ csrf, ...fields }), redirect: "manual" }),
  };
}

export interface NegotiationFixture {
  documentId: string;
  conferenceId: string;
  /** Clause ids and labels in document order (PP1…, OP1…). */
  clauses: { id: string; label: string; text: string }[];
  chair: Participant;
  secretariat: Participant;
  observer: Participant;
  /** Delegates of two delegations. */
  delegateA: Participant;
  delegateB: Participant;
  /** The chair of another conference. */
  outsider: Participant;
}

/** A statement (the demo zero draft) with one person of each role, and two delegations. */
export async function createNegotiation(sql: Sql, serverUrl: string): Promise<NegotiationFixture> {
  const { documentId, conferenceId, cookie } = await createTestDocument(sql);
  const [{ userId: chairId }] = await sql<{ userId: string }[]>`
    select s.user_id as "userId" from sessions s join memberships m on m.user_id = s.user_id
    where m.conference_id = ${conferenceId} and m.role = 'chair' limit 1`;
  const make = async (role: Role, name?: string) => {
    const p = await createSessionUser(sql, { conferenceId, role, name });
    return participant(serverUrl, p);
  };
  const other = await createTestDocument(sql);
  const { ydoc, clauses } = await readStatement(sql, documentId);
  ydoc.destroy();
  return {
    documentId,
    conferenceId,
    clauses: clauses.map((c) => ({ id: c.id!, label: c.label, text: c.text })),
    chair: await participant(serverUrl, { userId: chairId, cookie, delegationId: null }),
    secretariat: await make("secretariat"),
    observer: await make("observer"),
    delegateA: await make("delegate", "Delegate A"),
    delegateB: await make("delegate", "Delegate B"),
    outsider: await participant(serverUrl, { userId: "", cookie: other.cookie, delegationId: null }),
  };
}

/** Every negotiation event published from now on, as PostgreSQL NOTIFY delivers it. */
export async function recordEvents(sql: Sql): Promise<NegotiationEvent[]> {
  const events: NegotiationEvent[] = [];
  const unlisten = await subscribeNegotiationEvents(sql, (e) => events.push(e));
  onCleanup(unlisten);
  return events;
}

/** An instant as the silence form takes it: date and time (with seconds) on the clocks of `zone`. */
export function deadlineFields(instant: Date, timeZone = "UTC"): { date: string; time: string; timeZone: string } {
  const wall = new Date(wallClock(timeZone, instant.getTime())).toISOString();
  return { date: wall.slice(0, 10), time: wall.slice(11, 19), timeZone };
}

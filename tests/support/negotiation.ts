import type { Sql } from "../../server/db/sql";
import { readStatement } from "../../server/negotiation/numbering";
import { setConfidentiality } from "../../server/queries/conferences";
import { subscribeNegotiationEvents, type NegotiationEvent } from "../../server/negotiation/events";
import { wallClock } from "../../server/negotiation/time-zones";
import { onCleanup } from "./cleanup";
import type { Role } from "../../app/statement/vocabulary";
import { csrfTokenFor } from "./http";
import { createDelegation, createSignedInPerson, createStatement, type SignedInPerson } from "./factories";

/** A person with a session who submits forms as the page's fetchers do (with the anti-forgery token). */
export interface Participant {
  userId: string;
  cookie: string;
  delegationId: string | null;
  get(path: string): Promise<Response>;
  post(path: string, fields: Record<string, string>): Promise<Response>;
}

export async function participant(
  serverUrl: string,
  { id, cookie, delegationId }: Pick<SignedInPerson, "id" | "cookie" | "delegationId">,
): Promise<Participant> {
  const person = { userId: id, cookie, delegationId };
  const csrf = await csrfTokenFor(serverUrl, cookie);
  return {
    ...person,
    get: (path) => fetch(`${serverUrl}${path}`, { headers: { cookie: person.cookie }, redirect: "manual" }),
    post: (path, fields) =>
      fetch(`${serverUrl}${path}`, {
        method: "POST",
        headers: { cookie: person.cookie },
        body: new URLSearchParams({ csrf, ...fields }),
        redirect: "manual",
      }),
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

/**
 * A statement (the demo zero draft) with one person of each role, and two delegations. The
 * conference is open: its observer watches the negotiation as delegations see it.
 */
export async function createNegotiation(sql: Sql, serverUrl: string): Promise<NegotiationFixture> {
  const { documentId, conferenceId, chairId, cookie } = await createStatement(sql);
  await setConfidentiality(sql, conferenceId, "open");
  const make = async (role: Role, name?: string) => participant(serverUrl, await createSignedInPerson(sql, { conferenceId, role, name }));
  const other = await createStatement(sql);
  const { ydoc, clauses } = await readStatement(sql, documentId);
  ydoc.destroy();
  return {
    documentId,
    conferenceId,
    clauses: clauses.map((c) => ({ id: c.id!, label: c.label, text: c.text })),
    chair: await participant(serverUrl, { id: chairId, cookie, delegationId: null }),
    secretariat: await make("secretariat"),
    observer: await make("observer"),
    delegateA: await make("delegate", "Delegate A"),
    delegateB: await make("delegate", "Delegate B"),
    outsider: await participant(serverUrl, { id: "", cookie: other.cookie, delegationId: null }),
  };
}

export interface DelegatesFixture {
  documentId: string;
  conferenceId: string;
  /** The demo statement's clause ids by label (PP1…PP7, OP1…OP7) and texts. */
  ids: Record<string, string>;
  texts: Record<string, string>;
  chair: { userId: string; cookie: string };
  observer: { userId: string; cookie: string };
  /** Delegates of three delegations, named after them. */
  delegates: Record<"Norway" | "France" | "Germany", { userId: string; cookie: string; delegationId: string }>;
}

/** An open conference (observers see the negotiation) with the demo statement, its chair, an observer and delegates of Norway, France and Germany. */
export async function createDelegatesFixture(sql: Sql): Promise<DelegatesFixture> {
  const { documentId, conferenceId } = await createStatement(sql);
  await setConfidentiality(sql, conferenceId, "open");
  const chair = await createSignedInPerson(sql, { conferenceId, role: "chair" });
  const observer = await createSignedInPerson(sql, { conferenceId, role: "observer" });
  const delegates = {} as DelegatesFixture["delegates"];
  for (const [name, code] of [
    ["Norway", "NOR"],
    ["France", "FRA"],
    ["Germany", "DEU"],
  ] as const) {
    const d = await createDelegation(sql, conferenceId, { name, code });
    const person = await createSignedInPerson(sql, { conferenceId, role: "delegate", delegationId: d.id });
    delegates[name] = { userId: person.id, cookie: person.cookie, delegationId: d.id };
  }
  const statement = await readStatement(sql, documentId);
  statement.ydoc.destroy();
  const ids = Object.fromEntries(statement.clauses.map((c) => [c.label, c.id!]));
  const texts = Object.fromEntries(statement.clauses.map((c) => [c.label, c.text]));
  return {
    documentId,
    conferenceId,
    ids,
    texts,
    chair: { userId: chair.id, cookie: chair.cookie },
    observer: { userId: observer.id, cookie: observer.cookie },
    delegates,
  };
}

/** The compilation's entries (clauses and proposed clauses) in page order, each with its label and HTML. */
export function compilationEntries(html: string): { label: string; html: string; proposed: boolean }[] {
  return html
    .split('<section class="compiled-clause')
    .slice(1)
    .map((chunk) => ({
      label: /data-label="([^"]+)"/.exec(chunk)![1],
      html: chunk.split("</section>")[0],
      proposed: chunk.startsWith(" proposed"),
    }));
}

/** The P-numbers of the proposals a compilation page shows. */
export const shownProposals = (html: string) => [...html.matchAll(/data-proposal="(P\d+)"/g)].map((m) => m[1]);

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

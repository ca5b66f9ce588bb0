import { randomBytes } from "node:crypto";
import type { JSONContent } from "@tiptap/core";
import type { Db, Sql } from "../../server/db/sql";
import { hashPassword } from "../../server/auth/password";
import { createAuth, sessionSecret } from "../../server/auth/service";
import { createConference as insertConference, type ConferenceRow } from "../../server/queries/conferences";
import { createDelegation as insertDelegation, type DelegationRow } from "../../server/queries/delegations";
import { setGroupMembers } from "../../server/queries/delegation-groups";
import { createDraft, createStoredDocument } from "../../server/negotiation/statement";
import { setMembership } from "../../server/queries/memberships";
import { createUser } from "../../server/queries/users";
import { demoStatement } from "../../server/seed/demo-statement";
import { statementUpdate } from "../../app/statement/yjs-state";
import type { ClauseState, DelegationKind, Position, ProposalKind, ProposalStatus, Role } from "../../app/statement/vocabulary";

/**
 * Every row a test needs, written straight to the database with the app's own queries: conferences,
 * delegations, people (with a password that signs in through the form, and on request a session
 * cookie), statements, and the negotiation rows (proposals, positions, clause states) for tests of
 * what reads them independently of the forms that create them. Unique values get a random tag, so
 * tests sharing a file's database do not collide.
 */

export const uniqueTag = () => randomBytes(4).toString("hex");

export async function createConference(sql: Db, c: Partial<Omit<ConferenceRow, "id">> = {}): Promise<ConferenceRow> {
  const t = uniqueTag();
  return insertConference(sql, {
    slug: c.slug ?? `conf-${t}`,
    title: c.title ?? `Test Conference ${t}`,
    subtitle: c.subtitle ?? "",
    venue: c.venue ?? "Geneva",
    symbolPrefix: c.symbolPrefix,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
  });
}

export async function createDelegation(
  sql: Db,
  conferenceId: string,
  d: { code?: string; name?: string; kind?: DelegationKind } = {},
): Promise<DelegationRow> {
  const code = d.code ?? `D${uniqueTag().toUpperCase().slice(0, 6)}`;
  return insertDelegation(sql, { conferenceId, code, name: d.name ?? `Delegation ${code}`, kind: d.kind ?? "member_state" });
}

/** A group of delegations ("G-77 and China") with these member delegations. */
export async function createGroup(
  sql: Db,
  conferenceId: string,
  memberIds: string[],
  d: { code?: string; name?: string } = {},
): Promise<DelegationRow> {
  const group = await createDelegation(sql, conferenceId, { ...d, kind: "group" });
  await setGroupMembers(sql, conferenceId, group.id, memberIds);
  return group;
}

export const testPassword = "correct horse battery staple";
// Hashing is slow on purpose; every person with the shared test password shares one hash of it.
let sharedHash: Promise<string> | null = null;
const passwordHash = (password: string) =>
  password === testPassword ? (sharedHash ??= hashPassword(testPassword)) : hashPassword(password);

export interface PersonOptions {
  email?: string;
  name?: string;
  /** The shared test password unless given; either way hashed as the app does, so the form accepts it. */
  password?: string;
  isAdmin?: boolean;
  /** A role in this conference. */
  conferenceId?: string;
  role?: Role;
  /** A delegate's delegation; without one a delegate gets a delegation of their own (`delegation` names it and gives its kind). */
  delegationId?: string | null;
  delegation?: { code?: string; name?: string; kind?: DelegationKind };
  /** A translator's language (the conference should work in it). */
  language?: string;
}

export interface TestPerson {
  id: string;
  email: string;
  name: string;
  password: string;
  delegationId: string | null;
}

export interface SignedInPerson extends TestPerson {
  /** The Cookie header ("concord_session=…") of an open session. */
  cookie: string;
}

/** An account, with a role in a conference when one is given. */
export async function createPerson(sql: Db, p: PersonOptions = {}): Promise<TestPerson> {
  const t = uniqueTag();
  const email = p.email ?? `${p.role ?? (p.isAdmin ? "admin" : "person")}-${t}@example.org`;
  const name = p.name ?? `${p.role ?? "Person"} ${t}`;
  const password = p.password ?? testPassword;
  const user = await createUser(sql, { email, name, passwordHash: await passwordHash(password), isAdmin: p.isAdmin ?? false });
  let delegationId: string | null = null;
  if (p.role) {
    if (!p.conferenceId) throw new Error("createPerson: a role needs a conferenceId");
    if (p.role === "delegate") delegationId = p.delegationId ?? (await createDelegation(sql, p.conferenceId, p.delegation)).id;
    if ((p.role === "translator") !== Boolean(p.language))
      throw new Error("createPerson: a translator, and only a translator, has a language");
    await setMembership(sql, { conferenceId: p.conferenceId, userId: user.id, role: p.role, delegationId, language: p.language ?? null });
  }
  return { id: user.id, email, name, password, delegationId };
}

/**
 * A signed-in session's Cookie header for a user, signed with the secret the test server reads
 * from the same database, so tests need not go through the sign-in form for every client.
 */
export async function sessionCookieFor(sql: Sql, userId: string): Promise<string> {
  const auth = createAuth({ sql, secret: await sessionSecret(sql, undefined), secureCookies: false });
  return (await auth.startSession(userId)).split(";")[0];
}

/** A person (as createPerson makes them) with an open session. */
export async function createSignedInPerson(sql: Sql, p: PersonOptions = {}): Promise<SignedInPerson> {
  const person = await createPerson(sql, p);
  return { ...person, cookie: await sessionCookieFor(sql, person.id) };
}

/**
 * A conference and one statement in it holding `content` (the demo zero draft by default), with
 * a chair (a pen holder) whose session `cookie` lets collaboration clients edit it.
 */
export async function createStatement(
  sql: Sql,
  content: JSONContent = demoStatement(),
): Promise<{ documentId: string; conferenceId: string; chairId: string; cookie: string }> {
  const conference = await createConference(sql, { slug: `test-${randomBytes(5).toString("hex")}`, title: "Test conference", venue: "" });
  const document = await createStoredDocument(sql, {
    conferenceId: conference.id,
    title: "Test statement",
    update: statementUpdate(content),
  });
  const chair = await createSignedInPerson(sql, { conferenceId: conference.id, role: "chair" });
  return { documentId: document.id, conferenceId: conference.id, chairId: chair.id, cookie: chair.cookie };
}

export interface ProposalOverrides {
  documentId: string;
  createdBy: string;
  kind?: ProposalKind;
  /** The clause it is on; for `add`, the clause it follows (null: the start of `part`). */
  clauseId?: string | null;
  part?: "pp" | "op";
  /** null: the chair's compromise text. */
  delegationId?: string | null;
  status?: ProposalStatus;
  baseText?: string;
  /** The proposed text: the submitted revision's, or the draft's drafting document's. */
  text?: string;
  newClauseId?: string | null;
  decisionReason?: string | null;
}

/** A drafting document holding `text` in one paragraph. */
async function draftingDocument(sql: Db, conferenceId: string, text: string): Promise<string> {
  const content = [{ type: "paragraph", content: text ? [{ type: "text", text }] : [] }];
  return (await createDraft(sql, { conferenceId, title: "Proposal text", content })).id;
}

/** A proposal with the next number; unless a draft, with its first submitted revision. */
export async function createProposal(sql: Db, o: ProposalOverrides): Promise<{ id: string; number: number }> {
  const kind = o.kind ?? "replace";
  const status = o.status ?? "submitted";
  const baseText = o.baseText ?? "";
  const text = o.text ?? (kind === "replace" || kind === "add" ? "Proposed text" : "");
  const [{ conferenceId }] = await sql<
    { conferenceId: string }[]
  >`select conference_id as "conferenceId" from documents where id = ${o.documentId}`;
  const textDocumentId = kind === "replace" || kind === "add" ? await draftingDocument(sql, conferenceId, text) : null;
  const [row] = await sql<{ id: string; number: number }[]>`
    insert into proposals (document_id, number, kind, clause_id, part, text_document_id, delegation_id, created_by, status, base_text,
                           new_clause_id, decision_reason, decided_by, decided_at)
    values (${o.documentId}, (select coalesce(max(number), 0) + 1 from proposals where document_id = ${o.documentId}), ${kind},
            ${o.clauseId ?? null}, ${o.part ?? "op"}, ${textDocumentId}, ${o.delegationId ?? null}, ${o.createdBy}, ${status}, ${baseText},
            ${o.newClauseId ?? null}, ${o.decisionReason ?? null},
            ${["accepted", "rejected", "merged"].includes(status) ? o.createdBy : null}, ${
              ["accepted", "rejected", "merged"].includes(status) ? new Date() : null
            })
    returning id, number`;
  if (status !== "draft") {
    await sql`
      insert into proposal_revisions (proposal_id, revision, text, base_text, submitted_by)
      values (${row.id}, 1, ${text}, ${baseText}, ${o.createdBy})`;
  }
  return row;
}

/** A delegation's position on a proposal. */
export async function createPosition(
  sql: Db,
  p: { proposalId: string; delegationId: string; position: Position; userId: string; reason?: string },
): Promise<void> {
  await sql`
    insert into proposal_positions (proposal_id, delegation_id, position, reason, user_id)
    values (${p.proposalId}, ${p.delegationId}, ${p.position}, ${p.reason ?? ""}, ${p.userId})`;
}

/** A clause's new state, as the chair sets it. */
export async function createClauseState(
  sql: Db,
  s: { documentId: string; clauseId: string; state: ClauseState; userId?: string | null },
): Promise<void> {
  await sql`
    insert into clause_states (document_id, clause_id, state, user_id)
    values (${s.documentId}, ${s.clauseId}, ${s.state}, ${s.userId ?? null})`;
}

import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { upgradeStatus } from "../support/raw-socket";
import { createUser } from "../../server/queries/users";
import { issueInvitation } from "../../server/people/invitations";
import { createAuth, sessionSecret } from "../../server/auth/service";
import { unsubscribeToken } from "../../server/mail/unsubscribe";
import { createProposal, submitProposal } from "../../server/negotiation/proposals";
import { readStatement } from "../../server/negotiation/numbering";
import { createRevision } from "../../server/versions/capture";
import { maxReasonLength } from "../../app/statement/limits";
import {
  createPerson,
  createProposal as insertProposal,
  createSignedInPerson,
  createStatement,
  sessionCookieFor,
} from "../support/factories";
import { csrfTokenFor } from "../support/http";
import { setNonNegotiatingMayPropose } from "../../server/people/delegations";
import { currentSignals, recordSignal } from "../../server/queries/clause-signals";
import { openSilence } from "../../server/queries/silence-procedures";
import { delegationKinds, type DelegationKind } from "../../app/statement/vocabulary";
import { openEventStream } from "../support/event-stream";
import { waitFor } from "../support/wait";
import { setConferenceLanguages, setConfidentiality } from "../../server/queries/conferences";
import { startThread } from "../../server/negotiation/comments";
import { giveSignal } from "../../server/negotiation/signals";
import { publishNegotiationEvent } from "../../server/negotiation/events";
import type { Confidentiality } from "../../app/statement/confidentiality";
import { closeBreakout, createBreakout } from "../../server/breakouts/breakouts";
import { findBreakout } from "../../server/queries/breakouts";
import { proposeInBreakout } from "../../server/breakouts/breakout-proposals";

/**
 * Every route's loader and every action (and each intent of an action), for every kind of person:
 * allowed, sent to sign in, refused (403), or not even shown to exist (404). A route added
 * without an entry here fails the first test.
 */
type Actor = "anonymous" | "outsider" | "observer" | "translator" | "delegate" | "chair" | "secretariat" | "admin";
type Outcome = "allowed" | "login" | 403 | 404;
type Row = Record<Actor, Outcome>;

const actors: Actor[] = ["anonymous", "outsider", "observer", "translator", "delegate", "chair", "secretariat", "admin"];
const all = (o: Outcome) => Object.fromEntries(actors.map((a) => [a, o])) as Row;
const everyone = all("allowed");
const signedIn: Row = { ...everyone, anonymous: "login" };
const members: Row = { ...signedIn, outsider: 404 };
const managers: Row = {
  anonymous: "login",
  outsider: 404,
  observer: 403,
  translator: 403,
  delegate: 403,
  chair: 403,
  secretariat: "allowed",
  admin: "allowed",
};
/** The fixture's translator works in French, one of its conference's languages; they see the text alone and never comment. */
const commenters: Row = { ...members, observer: 403, translator: 403 };
/**
 * Members who see the negotiation: in the fixture's conference, in standard confidentiality (the
 * default), observers see the base text and its versions only. Every mode is in "confidentiality" below.
 */
const negotiators: Row = { ...members, observer: 403, translator: 403 };
const chairOnly: Row = {
  anonymous: "login",
  outsider: 404,
  observer: 403,
  translator: 403,
  delegate: 403,
  chair: "allowed",
  secretariat: 403,
  admin: 403,
};
/** Who writes the French translation: its translators and the secretariat. */
const frenchTranslators: Row = { ...managers, translator: "allowed" };
/** The chair and the secretariat (e.g. the consensus matrix). */
const chairAndSecretariat: Row = { ...managers, chair: "allowed" };
const delegateOnly: Row = { ...managers, delegate: "allowed", secretariat: 403, admin: 403 };
/** Only a proposal's sponsoring delegation, which none of the actors belongs to. */
const sponsorsOnly: Row = { ...chairOnly, chair: 403 };
const adminOnly: Row = { ...chairOnly, outsider: 403, chair: 403, admin: "allowed" };
/** A closed breakout's participants: of the actors, the chair alone (the facilitator and delegation are another delegate's). */
const breakoutParticipants: Row = { ...all(404), anonymous: "login", chair: "allowed" };

interface Ids {
  conferenceId: string;
  documentId: string;
  token: string;
  /** A submitted proposal of a delegation none of the actors belongs to. */
  proposalId: string;
  /** A named revision of the document. */
  versionId: string;
  /** A clause of the document. */
  clauseId: string;
  /** A closed (confidential) breakout facilitated by a delegate none of the actors is, with that delegate's delegation. */
  breakoutId: string;
  /** The drafting document of that breakout's clause. */
  breakoutTextId: string;
  /** An open breakout, closed already. */
  endedBreakoutId: string;
  /** A notice mail's unsubscribe token (the sponsor's, for one kind). */
  unsubscribeToken: string;
  /** A proposal its facilitator tabled inside the closed breakout. */
  breakoutProposalId: string;
}

interface Check {
  /** The request path, given the fixture's ids. */
  path: (ids: Ids) => string;
  expect: Row;
  /** Form fields of an action (deliberately invalid, so an allowed request changes nothing), or those naming the fixture's ids. */
  form?: Record<string, string> | ((ids: Ids) => Record<string, string>);
  multipart?: boolean;
}

const conference = (ids: Ids) => `/conferences/${ids.conferenceId}`;
const comments = (ids: Ids) => `/documents/${ids.documentId}/comments`;
const workspace = (ids: Ids) => `/documents/${ids.documentId}/workspace-changes`;
const proposal = (ids: Ids) => `/documents/${ids.documentId}/proposals/${ids.proposalId}`;
const tooLong = "x".repeat(maxReasonLength + 1);

const matrix: Record<string, { loader?: Check; actions?: Record<string, Check> }> = {
  root: { loader: { path: () => "/login", expect: everyone } },
  "routes/_index": { loader: { path: () => "/", expect: signedIn } },
  "routes/login": {
    loader: { path: () => "/login", expect: everyone },
    actions: { signIn: { path: () => "/login", form: { email: "nobody@example.org", password: "wrong" }, expect: everyone } },
  },
  "routes/logout": {
    loader: { path: () => "/logout", expect: everyone },
    // Anyone may sign out, and it always ends on the sign-in page; checked last (it ends the session).
    actions: { signOut: { path: () => "/logout", form: {}, expect: all("login") } },
  },
  // Single sign-on is not set up in this fixture: both routes are absent for everyone (tests/auth/single-sign-on.test.ts has them set up).
  "routes/auth.oidc": { loader: { path: () => "/auth/oidc", expect: all(404) } },
  "routes/auth.oidc_.callback": { loader: { path: () => "/auth/oidc/callback?code=x&state=y", expect: all(404) } },
  "routes/admin": {
    loader: { path: () => "/admin", expect: adminOnly },
    actions: {
      create: { path: () => "/admin", form: { intent: "create", title: "" }, expect: adminOnly },
      appoint: { path: () => "/admin", form: { intent: "appoint", conferenceId: "", email: "not-an-email" }, expect: adminOnly },
    },
  },
  "routes/conferences.$conferenceId._index": {
    loader: { path: conference, expect: members },
    actions: {
      createDocument: { path: conference, form: { title: "" }, expect: managers },
      confidentiality: { path: conference, form: { intent: "confidentiality", confidentiality: "secret" }, expect: managers },
      languages: { path: conference, form: { intent: "languages" }, expect: managers },
      details: { path: conference, form: { intent: "details", startsOn: "someday" }, expect: managers },
      symbol: { path: conference, form: { intent: "symbol", documentId: "", symbol: "" }, expect: managers },
    },
  },
  "routes/documents.$documentId_.translations._index": {
    loader: { path: (ids) => `/documents/${ids.documentId}/translations`, expect: members },
    actions: { original: { path: (ids) => `/documents/${ids.documentId}/translations`, form: { language: "xx" }, expect: managers } },
  },
  "routes/documents.$documentId_.translations.$language": {
    loader: { path: (ids) => `/documents/${ids.documentId}/translations/fr`, expect: members },
    actions: {
      start: {
        path: (ids) => `/documents/${ids.documentId}/translations/fr`,
        form: { intent: "start", key: "" },
        expect: frenchTranslators,
      },
      confirm: {
        path: (ids) => `/documents/${ids.documentId}/translations/fr`,
        form: { intent: "confirm", key: "" },
        expect: frenchTranslators,
      },
    },
  },
  "routes/documents.$documentId_.breakouts._index": {
    loader: { path: (ids) => `/documents/${ids.documentId}/breakouts`, expect: members },
    actions: { create: { path: (ids) => `/documents/${ids.documentId}/breakouts`, form: { facilitator: "" }, expect: chairOnly } },
  },
  "routes/documents.$documentId_.breakouts.$breakoutId": {
    loader: { path: (ids) => `/documents/${ids.documentId}/breakouts/${ids.breakoutId}`, expect: breakoutParticipants },
    actions: {
      // Only the facilitator submits.
      submit: {
        path: (ids) => `/documents/${ids.documentId}/breakouts/${ids.breakoutId}`,
        form: { intent: "submit" },
        expect: { ...breakoutParticipants, chair: 403 },
      },
      // The facilitator and the participating delegations table proposals there; the chair follows the breakout.
      propose: {
        path: (ids) => `/documents/${ids.documentId}/breakouts/${ids.breakoutId}`,
        form: { intent: "propose", clauseId: "", content: "" },
        expect: { ...breakoutParticipants, chair: 403 },
      },
      // On the facilitator's proposal there: the facilitator decides it, its sponsors withdraw it.
      acceptProposal: {
        path: (ids) => `/documents/${ids.documentId}/breakouts/${ids.breakoutId}`,
        form: (ids) => ({ intent: "acceptProposal", proposalId: ids.breakoutProposalId, reason: tooLong }),
        expect: { ...breakoutParticipants, chair: 403 },
      },
      rejectProposal: {
        path: (ids) => `/documents/${ids.documentId}/breakouts/${ids.breakoutId}`,
        form: (ids) => ({ intent: "rejectProposal", proposalId: ids.breakoutProposalId, reason: tooLong }),
        expect: { ...breakoutParticipants, chair: 403 },
      },
      withdrawProposal: {
        path: (ids) => `/documents/${ids.documentId}/breakouts/${ids.breakoutId}`,
        form: (ids) => ({ intent: "withdrawProposal", proposalId: ids.breakoutProposalId }),
        expect: { ...breakoutParticipants, chair: 403 },
      },
      participants: {
        path: (ids) => `/documents/${ids.documentId}/breakouts/${ids.breakoutId}`,
        form: { intent: "participants" },
        expect: breakoutParticipants,
      },
      comment: {
        path: (ids) => `/documents/${ids.documentId}/breakouts/${ids.breakoutId}`,
        form: { intent: "comment", clauseId: "", body: "" },
        expect: breakoutParticipants,
      },
      // On an open breakout that has ended: whoever sees the statement sees it, the chair alone may close it (409 now).
      close: {
        path: (ids) => `/documents/${ids.documentId}/breakouts/${ids.endedBreakoutId}`,
        form: { intent: "close" },
        expect: chairOnly,
      },
    },
  },
  "routes/conferences.$conferenceId.delegations": {
    loader: { path: (ids) => `${conference(ids)}/delegations`, expect: managers },
    actions: {
      add: { path: (ids) => `${conference(ids)}/delegations`, form: { name: "", code: "", kind: "member_state" }, expect: managers },
      kind: { path: (ids) => `${conference(ids)}/delegations`, form: { intent: "kind", delegationId: "", kind: "ngo" }, expect: managers },
      members: { path: (ids) => `${conference(ids)}/delegations`, form: { intent: "members", delegationId: "" }, expect: managers },
      setting: { path: (ids) => `${conference(ids)}/delegations`, form: { intent: "setting", mayPropose: "" }, expect: managers },
    },
  },
  "routes/conferences.$conferenceId.people": {
    loader: { path: (ids) => `${conference(ids)}/people`, expect: managers },
    actions: {
      role: { path: (ids) => `${conference(ids)}/people`, form: { intent: "role", userId: "", role: "chair" }, expect: managers },
      remove: { path: (ids) => `${conference(ids)}/people`, form: { intent: "remove", userId: "" }, expect: managers },
      invite: {
        path: (ids) => `${conference(ids)}/people`,
        form: { intent: "invite", email: "", role: "observer", days: "7" },
        expect: managers,
      },
      revoke: { path: (ids) => `${conference(ids)}/people`, form: { intent: "revoke", invitationId: "" }, expect: managers },
      resetLink: { path: (ids) => `${conference(ids)}/people`, form: { intent: "resetLink", userId: "" }, expect: managers },
      import: { path: (ids) => `${conference(ids)}/people`, form: { intent: "import" }, multipart: true, expect: managers },
    },
  },
  "routes/documents.$documentId.comments": {
    actions: {
      create: { path: comments, form: { intent: "create", clauseId: "", body: "" }, expect: commenters },
      reply: { path: comments, form: { intent: "reply", threadId: "", body: "" }, expect: commenters },
      resolve: { path: comments, form: { intent: "resolve", threadId: "" }, expect: commenters },
      reopen: { path: comments, form: { intent: "reopen", threadId: "" }, expect: commenters },
      pin: { path: comments, form: { intent: "pin", threadId: "" }, expect: chairOnly },
      unpin: { path: comments, form: { intent: "unpin", threadId: "" }, expect: chairOnly },
      // Observers read threads too (where they see the negotiation: open mode), so they have unread markers.
      read: { path: comments, form: { intent: "read", threadId: "" }, expect: negotiators },
    },
  },
  "routes/documents.$documentId_.compilation": {
    loader: { path: (ids) => `/documents/${ids.documentId}/compilation`, expect: negotiators },
  },
  "routes/documents.$documentId_.consensus": {
    loader: { path: (ids) => `/documents/${ids.documentId}/consensus`, expect: chairAndSecretariat },
  },
  "routes/documents.$documentId.signals": {
    actions: {
      signal: {
        path: (ids) => `/documents/${ids.documentId}/signals`,
        form: { clauseId: "", signal: "not_yet", reason: "" },
        expect: delegateOnly,
      },
    },
  },
  "routes/documents.$documentId.states": {
    actions: {
      state: { path: (ids) => `/documents/${ids.documentId}/states`, form: { clauseId: "", state: "agreed" }, expect: chairOnly },
    },
  },
  // Readings (issue 15): the chair runs them; everyone who sees the statement reads their record.
  "routes/documents.$documentId.reading": {
    actions: {
      start: { path: (ids) => `/documents/${ids.documentId}/reading`, form: { intent: "start", number: "3" }, expect: chairOnly },
      move: { path: (ids) => `/documents/${ids.documentId}/reading`, form: { intent: "move", to: "nowhere" }, expect: chairOnly },
      mark: {
        path: (ids) => `/documents/${ids.documentId}/reading`,
        form: { intent: "mark", clauseId: "", outcome: "bracketed" },
        expect: chairOnly,
      },
      // No reading runs: the chair is told so (409), nothing changes.
      end: { path: (ids) => `/documents/${ids.documentId}/reading`, form: { intent: "end" }, expect: chairOnly },
    },
  },
  "routes/documents.$documentId_.readings": { loader: { path: (ids) => `/documents/${ids.documentId}/readings`, expect: members } },
  // The plenary screen: without a projection token it is nobody's, signed in or not (tests/readings/screen.test.ts has the tokens).
  "routes/documents.$documentId_.screen": { loader: { path: (ids) => `/documents/${ids.documentId}/screen`, expect: all(404) } },
  "routes/documents.$documentId_.screens": {
    loader: { path: (ids) => `/documents/${ids.documentId}/screens`, expect: chairAndSecretariat },
    actions: {
      create: { path: (ids) => `/documents/${ids.documentId}/screens`, form: { intent: "create", label: "" }, expect: chairAndSecretariat },
      revoke: {
        path: (ids) => `/documents/${ids.documentId}/screens`,
        form: { intent: "revoke", tokenId: "" },
        expect: chairAndSecretariat,
      },
      attributions: {
        path: (ids) => `/documents/${ids.documentId}/screens`,
        form: { intent: "attributions", shown: "maybe" },
        expect: chairOnly,
      },
    },
  },
  "routes/documents.$documentId.silence": {
    actions: {
      open: {
        path: (ids) => `/documents/${ids.documentId}/silence`,
        form: { intent: "open", date: "", time: "", timeZone: "UTC" },
        expect: chairOnly,
      },
      // Nothing is running, so cancelling changes nothing.
      cancel: { path: (ids) => `/documents/${ids.documentId}/silence`, form: { intent: "cancel" }, expect: chairOnly },
      object: { path: (ids) => `/documents/${ids.documentId}/silence`, form: { intent: "object", objection: "" }, expect: delegateOnly },
    },
  },
  "routes/documents.$documentId.adoption": {
    actions: {
      // No time zone: refused as invalid, so nothing is adopted.
      adopt: { path: (ids) => `/documents/${ids.documentId}/adoption`, form: { meeting: "", timeZone: "" }, expect: chairOnly },
    },
  },
  // Before adoption (as here) explanations are the negotiation's; an observer in standard mode reads them once the text is adopted.
  "routes/documents.$documentId_.explanations": {
    loader: { path: (ids) => `/documents/${ids.documentId}/explanations`, expect: negotiators },
  },
  "routes/documents.$documentId.explanation": {
    actions: {
      file: { path: (ids) => `/documents/${ids.documentId}/explanation`, form: { intent: "file", text: "" }, expect: delegateOnly },
      revise: {
        path: (ids) => `/documents/${ids.documentId}/explanation`,
        form: { intent: "revise", explanationId: "", text: "" },
        expect: delegateOnly,
      },
      withdraw: { path: (ids) => `/documents/${ids.documentId}/explanation`, form: { intent: "withdraw" }, expect: delegateOnly },
    },
  },
  // A delegation's own workspace: its delegates' alone; the forms are invalid, so an allowed request changes nothing.
  "routes/documents.$documentId_.workspace": { loader: { path: (ids) => `/documents/${ids.documentId}/workspace`, expect: delegateOnly } },
  "routes/documents.$documentId.workspace-changes": {
    actions: {
      note: { path: workspace, form: { intent: "note", clauseId: "", body: "" }, expect: delegateOnly },
      edit: { path: workspace, form: { intent: "edit", noteId: "", body: "" }, expect: delegateOnly },
      delete: { path: workspace, form: { intent: "delete", noteId: "" }, expect: delegateOnly },
      hold: { path: workspace, form: { intent: "hold", clauseId: "" }, expect: delegateOnly },
      unhold: { path: workspace, form: { intent: "unhold", clauseId: "" }, expect: delegateOnly },
      table: { path: workspace, form: { intent: "table", proposalId: "" }, expect: delegateOnly },
    },
  },
  "routes/documents.$documentId.export": {
    loader: { path: (ids) => `/documents/${ids.documentId}/export?format=md`, expect: members },
  },
  "routes/documents.$documentId_.history": {
    loader: { path: (ids) => `/documents/${ids.documentId}/history`, expect: members },
    actions: {
      create: { path: (ids) => `/documents/${ids.documentId}/history`, form: { intent: "create", name: "" }, expect: chairAndSecretariat },
      restore: { path: (ids) => `/documents/${ids.documentId}/history`, form: { intent: "restore", versionId: "" }, expect: chairOnly },
    },
  },
  "routes/documents.$documentId_.versions.$versionId": {
    loader: { path: (ids) => `/documents/${ids.documentId}/versions/${ids.versionId}`, expect: members },
  },
  "routes/documents.$documentId_.redline": {
    loader: { path: (ids) => `/documents/${ids.documentId}/redline?from=${ids.versionId}&to=current`, expect: members },
  },
  // Everyone who sees the statement; an observer who sees the text only reads its texts (tests/negotiation/clause-story.test.ts).
  "routes/documents.$documentId_.clauses.$clauseId.story": {
    loader: { path: (ids) => `/documents/${ids.documentId}/clauses/${ids.clauseId}/story`, expect: members },
  },
  "routes/conferences.$conferenceId.audit": { loader: { path: (ids) => `${conference(ids)}/audit?verify=1`, expect: managers } },
  "routes/conferences.$conferenceId.audit_.download": {
    loader: { path: (ids) => `${conference(ids)}/audit/download?format=csv`, expect: managers },
  },
  "routes/conferences.$conferenceId.archive": { loader: { path: (ids) => `${conference(ids)}/archive`, expect: managers } },
  "routes/conferences.$conferenceId.import": {
    loader: { path: (ids) => `${conference(ids)}/import`, expect: managers },
    actions: {
      preview: { path: (ids) => `${conference(ids)}/import`, form: { intent: "preview" }, multipart: true, expect: managers },
      create: { path: (ids) => `${conference(ids)}/import`, form: { intent: "create", title: "", statement: "" }, expect: managers },
    },
  },
  "routes/documents.$documentId": {
    loader: { path: (ids) => `/documents/${ids.documentId}`, expect: members },
    actions: {
      propose: { path: (ids) => `/documents/${ids.documentId}`, form: { intent: "propose", kind: "" }, expect: delegateOnly },
      compromise: { path: (ids) => `/documents/${ids.documentId}`, form: { intent: "compromise", kind: "" }, expect: chairOnly },
    },
  },
  "routes/documents.$documentId_.proposals.$proposalId_.revisions.$revision": {
    loader: { path: (ids) => `${proposal(ids)}/revisions/1`, expect: negotiators },
  },
  "routes/documents.$documentId_.proposals.$proposalId": {
    loader: { path: proposal, expect: negotiators },
    actions: {
      // Submitting unchanged and withdrawing would change nothing for a sponsor; none of the actors is one.
      submit: { path: proposal, form: { intent: "submit" }, expect: sponsorsOnly },
      withdraw: { path: proposal, form: { intent: "withdraw" }, expect: sponsorsOnly },
      cosponsor: { path: proposal, form: { intent: "cosponsor", reason: tooLong }, expect: delegateOnly },
      support: { path: proposal, form: { intent: "support", reason: tooLong }, expect: delegateOnly },
      object: { path: proposal, form: { intent: "object", reason: "" }, expect: delegateOnly },
      // The delegate's delegation has no position to withdraw (409).
      withdrawPosition: { path: proposal, form: { intent: "withdrawPosition" }, expect: delegateOnly },
      accept: { path: proposal, form: { intent: "accept", reason: tooLong }, expect: chairOnly },
      reject: { path: proposal, form: { intent: "reject", reason: tooLong }, expect: chairOnly },
      discuss: { path: proposal, form: { intent: "discuss", reason: tooLong }, expect: chairOnly },
      merge: { path: proposal, form: { intent: "merge", content: "" }, expect: chairOnly },
    },
  },
  // Every signed-in person's own notices; nothing in the request names whose (tests/notifications/).
  "routes/notifications": {
    loader: { path: () => "/notifications", expect: signedIn },
    actions: {
      read: { path: () => "/notifications", form: { intent: "read", id: "" }, expect: signedIn },
      readAll: { path: () => "/notifications", form: { intent: "readAll" }, expect: signedIn },
      preferences: { path: () => "/notifications", form: { intent: "preferences", kinds: "nonsense" }, expect: signedIn },
    },
  },
  // Asking for a password link, and setting a password with one, are for anybody: the answers never say whose account exists.
  "routes/forgot-password": {
    loader: { path: () => "/forgot-password", expect: everyone },
    actions: { request: { path: () => "/forgot-password", form: { email: "not an address" }, expect: everyone } },
  },
  "routes/reset-password.$token": {
    loader: { path: () => "/reset-password/unknown-token", expect: everyone },
    actions: { reset: { path: () => "/reset-password/unknown-token", form: { password: "short", confirm: "x" }, expect: everyone } },
  },
  // An unsubscribe link is for whoever holds it (it is in the person's mail), signed in or not; its POST is checked last (it changes a preference).
  "routes/unsubscribe.$token": {
    loader: { path: (ids) => `/unsubscribe/${ids.unsubscribeToken}`, expect: everyone },
    actions: { unsubscribe: { path: (ids) => `/unsubscribe/${ids.unsubscribeToken}`, form: {}, expect: everyone } },
  },
  "routes/invitations.$token": {
    // An invitation link is for whoever holds it; its actions check the token and the password.
    loader: { path: (ids) => `/invitations/${ids.token}`, expect: everyone },
    actions: {
      signup: {
        path: (ids) => `/invitations/${ids.token}?intent=signup`,
        form: { name: "", password: "short", confirm: "x" },
        expect: everyone,
      },
      signin: { path: (ids) => `/invitations/${ids.token}?intent=signin`, form: { password: "" }, expect: everyone },
      // Accepting as the signed-in person needs a session first.
      accept: { path: (ids) => `/invitations/${ids.token}?intent=accept`, form: {}, expect: signedIn },
    },
  },
};

let db: TestDatabase;
let server: TestServer;
let ids: Ids;
const cookies = {} as Record<Actor, string | null>;
const tokens = {} as Record<Actor, string | null>;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  const fixture = await createStatement(db.sql);
  await setConferenceLanguages(db.sql, fixture.conferenceId, ["en", "fr"]);
  const other = await createStatement(db.sql);
  const people: Record<Exclude<Actor, "anonymous" | "outsider" | "admin">, string> = {
    observer: (await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "observer" })).cookie,
    translator: (await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "translator", language: "fr" })).cookie,
    delegate: (await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "delegate" })).cookie,
    chair: fixture.cookie,
    secretariat: (await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "secretariat" })).cookie,
  };
  const admin = await createUser(db.sql, { email: "root@example.org", name: "Administrator", passwordHash: "!", isAdmin: true });
  Object.assign(cookies, people, {
    anonymous: null,
    outsider: (await createSignedInPerson(db.sql, { conferenceId: other.conferenceId, role: "secretariat" })).cookie,
    admin: await sessionCookieFor(db.sql, admin.id),
  });
  for (const actor of actors) tokens[actor] = cookies[actor] ? await csrfTokenFor(server.url, cookies[actor]) : null;
  const invitation = await issueInvitation(db.sql, {
    conferenceId: fixture.conferenceId,
    email: "invitee@example.org",
    role: "observer",
    delegationId: null,
    language: null,
    createdBy: null,
    origin: server.url,
  });
  const sponsor = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "delegate" });
  const actor = {
    userId: sponsor.id,
    role: "delegate" as const,
    delegationId: sponsor.delegationId,
    isChair: false,
    negotiates: true,
    mayPropose: true,
  };
  const statement = await readStatement(db.sql, fixture.documentId);
  statement.ydoc.destroy();
  const { id: proposalId } = await createProposal(db.sql, actor, {
    documentId: fixture.documentId,
    conferenceId: fixture.conferenceId,
    kind: "retain",
    clauseId: statement.clauses[0].id,
    part: null,
    compromise: false,
  });
  await submitProposal(db.sql, actor, fixture.documentId, proposalId);
  const [{ userId: chairId }] = await db.sql<{ userId: string }[]>`
    select user_id as "userId" from memberships where conference_id = ${fixture.conferenceId} and role = 'chair' limit 1`;
  const chair = { userId: chairId, role: "chair" as const, delegationId: null, isChair: true, negotiates: false, mayPropose: false };
  const { id: versionId } = await createRevision(db.sql, chair, { documentId: fixture.documentId, name: "Zero draft" });
  const breakoutOf = (clauseId: string, confidential: boolean) =>
    createBreakout(db.sql, chair, {
      statementId: fixture.documentId,
      conferenceId: fixture.conferenceId,
      clauseIds: [clauseId],
      facilitatorId: sponsor.id,
      delegationIds: [sponsor.delegationId!],
      confidential,
    });
  const { id: breakoutId } = await breakoutOf(statement.clauses[1].id!, true);
  const ended = await breakoutOf(statement.clauses[2].id!, false);
  await closeBreakout(db.sql, chair, (await findBreakout(db.sql, fixture.documentId, ended.id))!);
  const closedBreakout = (await findBreakout(db.sql, fixture.documentId, breakoutId))!;
  const breakoutTextId = closedBreakout.clauses[0].textDocumentId;
  const { id: breakoutProposalId } = await proposeInBreakout(db.sql, actor, closedBreakout, {
    conferenceId: fixture.conferenceId,
    clauseId: closedBreakout.clauses[0].clauseId,
    content: [{ type: "paragraph", content: [{ type: "text", text: "A facilitator's text." }] }],
  });
  ids = {
    conferenceId: fixture.conferenceId,
    documentId: fixture.documentId,
    token: invitation.link.split("/").pop()!,
    proposalId,
    versionId,
    clauseId: statement.clauses[0].id!,
    breakoutId,
    breakoutTextId,
    endedBreakoutId: ended.id,
    unsubscribeToken: unsubscribeToken(
      createAuth({ sql: db.sql, secret: await sessionSecret(db.sql, undefined), secureCookies: false }),
      sponsor.id,
      "silence_passed",
    ),
    breakoutProposalId,
  };
});

async function outcome(res: Response): Promise<"allowed" | "login" | number> {
  if (res.status === 401 || res.status === 403 || res.status === 404) return res.status === 401 ? "login" : res.status;
  const location = res.headers.get("location") ?? "";
  if (res.status >= 300 && res.status < 400 && location.startsWith("/login")) return "login";
  if (res.status >= 500) return res.status;
  return "allowed";
}

const formOf = (check: Check, fixture: Ids) => (typeof check.form === "function" ? check.form(fixture) : check.form);

function request(check: Check, actor: Actor, method: "GET" | "POST"): Promise<Response> {
  const headers: Record<string, string> = cookies[actor] ? { cookie: cookies[actor] } : {};
  const url = `${server.url}${check.path(ids)}`;
  if (method === "GET") return fetch(url, { headers, redirect: "manual" });
  const fields = { ...(tokens[actor] ? { csrf: tokens[actor] } : {}), ...formOf(check, ids) };
  if (check.multipart) {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    return fetch(url, { method, headers, body, redirect: "manual" });
  }
  return fetch(url, { method, headers, body: new URLSearchParams(fields), redirect: "manual" });
}

it("has an entry for every route with a loader or an action", async () => {
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const present = Object.entries(build.routes)
    .filter(([, r]) => r.module.loader || r.module.action)
    .map(([id, r]) => `${id}${r.module.loader ? " loader" : ""}${r.module.action ? " action" : ""}`)
    .sort();
  const listed = Object.entries(matrix)
    .map(([id, e]) => `${id}${e.loader ? " loader" : ""}${e.actions ? " action" : ""}`)
    .sort();
  expect(listed).toEqual(present);
});

describe.each(actors)("as %s", (actor) => {
  for (const [route, entry] of Object.entries(matrix)) {
    if (entry.loader) {
      it(`GET ${route} → ${entry.loader.expect[actor]}`, async () => {
        expect(await outcome(await request(entry.loader!, actor, "GET"))).toBe(entry.loader!.expect[actor]);
      });
    }
    for (const [name, check] of Object.entries(entry.actions ?? {})) {
      if (route === "routes/logout") continue;
      it(`POST ${route} (${name}) → ${check.expect[actor]}`, async () => {
        expect(await outcome(await request(check, actor, "POST"))).toBe(check.expect[actor]);
      });
    }
  }

  it("opens the collaboration endpoint only for members (401 signed out, 404 for others)", async () => {
    const status = await upgradeStatus(`${server.wsUrl}/${ids.documentId}`, cookies[actor] ? { cookie: cookies[actor] } : {});
    const expected = { anonymous: 401, outsider: 404 }[actor as string] ?? 101;
    expect(status).toBe(expected);
  });

  it("opens a closed breakout's text only for its participants (401 signed out, 404 for others)", async () => {
    const status = await upgradeStatus(`${server.wsUrl}/${ids.breakoutTextId}`, cookies[actor] ? { cookie: cookies[actor] } : {});
    const expected = { anonymous: 401, chair: 101 }[actor as string] ?? 404;
    expect(status).toBe(expected);
  });

  it(`POST routes/logout (signOut) → ${matrix["routes/logout"].actions!.signOut.expect[actor]}`, async () => {
    const check = matrix["routes/logout"].actions!.signOut;
    expect(await outcome(await request(check, actor, "POST"))).toBe(check.expect[actor]);
  });
});

/**
 * By kind of delegation: what a delegate may do, with the conference's "non-negotiating
 * delegations may propose" setting off and on. The forms are deliberately invalid, so an allowed
 * request is answered 400 and changes nothing; a refused one is 403.
 */
type KindAction = "propose" | "signal" | "cosponsor" | "support" | "object" | "withdrawPosition" | "comment" | "breakSilence";
const kindChecks: Record<KindAction, Check> = {
  propose: { path: (ids) => `/documents/${ids.documentId}`, form: { intent: "propose", kind: "" }, expect: everyone },
  signal: {
    path: (ids) => `/documents/${ids.documentId}/signals`,
    form: { clauseId: "", signal: "not_yet", reason: "" },
    expect: everyone,
  },
  cosponsor: { path: proposal, form: { intent: "cosponsor", reason: tooLong }, expect: everyone },
  support: { path: proposal, form: { intent: "support", reason: tooLong }, expect: everyone },
  object: { path: proposal, form: { intent: "object", reason: "" }, expect: everyone },
  // Nothing to withdraw (409), whatever the kind: a position taken before a change of kind can always be withdrawn.
  withdrawPosition: { path: proposal, form: { intent: "withdrawPosition" }, expect: everyone },
  comment: { path: comments, form: { intent: "create", clauseId: "", body: "" }, expect: everyone },
  breakSilence: { path: (ids) => `/documents/${ids.documentId}/silence`, form: { intent: "object", objection: "" }, expect: everyone },
};
type KindOutcome = "allowed" | 403;
const negotiator: Record<KindAction, KindOutcome> & { counts: boolean } = {
  propose: "allowed",
  signal: "allowed",
  cosponsor: "allowed",
  support: "allowed",
  object: "allowed",
  withdrawPosition: "allowed",
  comment: "allowed",
  breakSilence: "allowed",
  counts: true,
};
const commentsOnly: typeof negotiator = {
  ...negotiator,
  propose: 403,
  signal: 403,
  cosponsor: 403,
  support: 403,
  object: 403,
  breakSilence: 403,
  counts: false,
};
const mayPropose: typeof negotiator = { ...commentsOnly, propose: "allowed", cosponsor: "allowed" };
const byKind: Record<DelegationKind, { off: typeof negotiator; on: typeof negotiator }> = {
  member_state: { off: negotiator, on: negotiator },
  regional_organization: { off: negotiator, on: negotiator },
  group: { off: negotiator, on: negotiator },
  observer_state: { off: commentsOnly, on: mayPropose },
  un_entity: { off: commentsOnly, on: mayPropose },
  igo: { off: commentsOnly, on: mayPropose },
  ngo: { off: commentsOnly, on: mayPropose },
};

describe.each(["off", "on"] as const)("by kind of delegation, with proposals by non-negotiating delegations %s", (setting) => {
  let kindIds: Ids;
  const kindCookies = {} as Record<DelegationKind, { cookie: string; csrf: string; code: string; delegationId: string }>;
  let chairCookie: string;

  beforeAll(async () => {
    const fixture = await createStatement(db.sql);
    chairCookie = fixture.cookie;
    const secretariat = await createPerson(db.sql, { conferenceId: fixture.conferenceId, role: "secretariat" });
    await setNonNegotiatingMayPropose(db.sql, { conferenceId: fixture.conferenceId, actorId: secretariat.id, allowed: setting === "on" });
    const statement = await readStatement(db.sql, fixture.documentId);
    statement.ydoc.destroy();
    const firstClauseId = statement.clauses[0].id!;
    for (const kind of delegationKinds) {
      const code = `K${kind.slice(0, 3).toUpperCase()}${setting.toUpperCase()}`;
      const person = await createSignedInPerson(db.sql, {
        conferenceId: fixture.conferenceId,
        role: "delegate",
        delegation: { code, kind },
      });
      kindCookies[kind] = {
        cookie: person.cookie,
        csrf: await csrfTokenFor(server.url, person.cookie),
        code,
        delegationId: person.delegationId!,
      };
      // A signal given while the delegation negotiated: whether it still counts depends on its kind now.
      await db.sql`update delegations set kind = 'member_state' where id = ${person.delegationId}`;
      const signal = { documentId: fixture.documentId, clauseId: firstClauseId, delegationId: person.delegationId!, userId: person.id };
      await recordSignal(db.sql, { ...signal, signal: "accept", reason: "" });
      await db.sql`update delegations set kind = ${kind} where id = ${person.delegationId}`;
    }
    const sponsor = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "delegate" });
    const actor = {
      userId: sponsor.id,
      role: "delegate" as const,
      delegationId: sponsor.delegationId,
      isChair: false,
      negotiates: true,
      mayPropose: true,
    };
    const input = {
      documentId: fixture.documentId,
      conferenceId: fixture.conferenceId,
      kind: "retain" as const,
      clauseId: firstClauseId,
      part: null,
      compromise: false,
    };
    const { id: proposalId } = await createProposal(db.sql, actor, input);
    await submitProposal(db.sql, actor, fixture.documentId, proposalId);
    // A silence procedure runs, so that breaking it is a real question.
    const deadline = new Date(Date.now() + 24 * 3600_000);
    await openSilence(db.sql, { documentId: fixture.documentId, userId: fixture.chairId, deadline, timeZone: "UTC", note: "" });
    kindIds = { ...ids, conferenceId: fixture.conferenceId, documentId: fixture.documentId, proposalId };
  });

  describe.each(delegationKinds)("a delegate of a delegation of kind %s", (kind) => {
    for (const [action, check] of Object.entries(kindChecks) as [KindAction, Check][]) {
      it(`POST ${action} → ${byKind[kind][setting][action]}`, async () => {
        const { cookie, csrf } = kindCookies[kind];
        const res = await fetch(`${server.url}${check.path(kindIds)}`, {
          method: "POST",
          headers: { cookie },
          body: new URLSearchParams({ csrf, ...formOf(check, kindIds) }),
          redirect: "manual",
        });
        expect(await outcome(res)).toBe(byKind[kind][setting][action]);
      });
    }

    it(`${byKind[kind][setting].counts ? "counts" : "does not count"} toward consensus`, async () => {
      const { code, delegationId } = kindCookies[kind];
      const counted = (await currentSignals(db.sql, kindIds.documentId)).some((s) => s.delegationId === delegationId);
      expect(counted).toBe(byKind[kind][setting].counts);
      const html = await (
        await fetch(`${server.url}/documents/${kindIds.documentId}/consensus`, { headers: { cookie: chairCookie } })
      ).text();
      expect(html.includes(`data-delegation="${code}"`)).toBe(byKind[kind][setting].counts);
      expect(html.includes(`data-not-counted="${code}"`)).toBe(!byKind[kind][setting].counts);
    });
  });
});

/**
 * Confidentiality: for each mode, what each member sees of a statement on every surface. Observers
 * see everything delegations see in open mode, the base text and its versions in standard mode,
 * and nothing in closed session; delegations, the chair and the secretariat see the negotiation in
 * every mode.
 */
describe("confidentiality", () => {
  type Member = "observer" | "delegate" | "chair" | "secretariat";
  type Sight = "negotiation" | "text" | "none";
  const people: Member[] = ["observer", "delegate", "chair", "secretariat"];
  const observerSees: Record<Confidentiality, Sight> = { open: "negotiation", standard: "text", closed: "none" };
  const sightOf = (member: Member, mode: Confidentiality): Sight => (member === "observer" ? observerSees[mode] : "negotiation");

  const marks = { proposal: "Submittedwording", comment: "Commentwording", signal: "Signalwording" };
  const f = {} as {
    documentId: string;
    conferenceId: string;
    proposalId: string;
    /** The drafting document of a draft of the delegate's own delegation. */
    draftDocumentId: string;
    versionId: string;
    clauseId: string;
    cookies: Record<Member, string>;
  };

  beforeAll(async () => {
    const fixture = await createStatement(db.sql);
    const delegate = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "delegate" });
    f.documentId = fixture.documentId;
    f.conferenceId = fixture.conferenceId;
    f.cookies = {
      observer: (await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "observer" })).cookie,
      delegate: delegate.cookie,
      chair: fixture.cookie,
      secretariat: (await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "secretariat" })).cookie,
    };
    const { ydoc, clauses } = await readStatement(db.sql, fixture.documentId);
    ydoc.destroy();
    f.clauseId = clauses[0].id!;
    const by = { createdBy: delegate.id, delegationId: delegate.delegationId, documentId: fixture.documentId };
    f.proposalId = (await insertProposal(db.sql, { ...by, clauseId: clauses[1].id, text: marks.proposal })).id;
    const draft = await insertProposal(db.sql, { ...by, clauseId: clauses[2].id, status: "draft", text: "Draft words" });
    [{ draftDocumentId: f.draftDocumentId }] = await db.sql<{ draftDocumentId: string }[]>`
      select text_document_id as "draftDocumentId" from proposals where id = ${draft.id}`;
    const actor = {
      userId: delegate.id,
      role: "delegate" as const,
      delegationId: delegate.delegationId,
      isChair: false,
      negotiates: true,
      mayPropose: true,
    };
    const document = { id: fixture.documentId, adoptedAt: null };
    await startThread(db.sql, actor, { documentId: fixture.documentId, clauseId: clauses[0].id!, anchor: null, body: marks.comment });
    await giveSignal(db.sql, actor, { document, clauseId: clauses[0].id!, signal: "not_yet", reason: marks.signal });
    const chair = {
      userId: fixture.chairId,
      role: "chair" as const,
      delegationId: null,
      isChair: true,
      negotiates: false,
      mayPropose: false,
    };
    f.versionId = (await createRevision(db.sql, chair, { documentId: fixture.documentId, name: "Rev.1" })).id;
  });

  const get = (member: Member, path: string) =>
    fetch(`${server.url}${path}`, { headers: { cookie: f.cookies[member] }, redirect: "manual" });
  const doc = () => `/documents/${f.documentId}`;

  /** Downloads, by what they show: the text (any format, clean or draft, of any version, redlines) or the negotiation. */
  const downloads: { query: () => string; shows: "text" | "negotiation" }[] = [
    { query: () => "format=docx", shows: "text" },
    { query: () => "format=docx&draft=1", shows: "text" },
    { query: () => "format=pdf", shows: "text" },
    { query: () => "format=pdf&draft=1", shows: "text" },
    { query: () => "format=html", shows: "text" },
    { query: () => "format=md&draft=1", shows: "text" },
    { query: () => "format=akn", shows: "text" },
    { query: () => `format=docx&version=${f.versionId}`, shows: "text" },
    { query: () => `format=redline&from=${f.versionId}&to=current`, shows: "text" },
    { query: () => "format=compilation", shows: "negotiation" },
    { query: () => "format=docx&draft=1&rolling=1", shows: "negotiation" },
  ];

  describe.each(["standard", "open", "closed"] as const)("in %s mode", (mode) => {
    beforeAll(async () => {
      await setConfidentiality(db.sql, f.conferenceId, mode);
    });

    describe.each(people)("as %s", (member) => {
      const sight = sightOf(member, mode);
      const seen = (shows: Sight) => (sight === "negotiation" || sight === shows ? 200 : 403);

      it(`statement page: ${sight === "none" ? "refused" : sight === "text" ? "the text without the negotiation" : "everything"}`, async () => {
        const res = await get(member, doc());
        expect(res.status).toBe(seen("text"));
        const html = await res.text();
        if (sight === "none") expect(html).toContain("closed session (informal consultations)");
        for (const mark of Object.values(marks)) expect(html.includes(mark), mark).toBe(sight === "negotiation");
      });

      it("history, a version, a redline and a paragraph's story: the text's", async () => {
        for (const path of [
          `${doc()}/history`,
          `${doc()}/versions/${f.versionId}`,
          `${doc()}/redline?from=${f.versionId}&to=current`,
          `${doc()}/clauses/${f.clauseId}/story`,
        ]) {
          expect((await get(member, path)).status, path).toBe(seen("text"));
        }
      });

      it("compilation, proposal page and revision: the negotiation's", async () => {
        for (const path of [
          `${doc()}/compilation`,
          `${doc()}/proposals/${f.proposalId}`,
          `${doc()}/proposals/${f.proposalId}/revisions/1`,
        ]) {
          expect((await get(member, path)).status, path).toBe(seen("negotiation"));
        }
      });

      it("consensus matrix: the chair's and the secretariat's", async () => {
        const allowed = member === "chair" || member === "secretariat";
        expect((await get(member, `${doc()}/consensus`)).status).toBe(allowed ? 200 : 403);
      });

      it("event stream: refused in closed session; the text's events only to those who see the text alone", async () => {
        if (sight === "none") {
          const res = await get(member, `${doc()}/events`);
          expect(res.status).toBe(403);
          expect(await res.text()).toContain("closed session");
          return;
        }
        const stream = await openEventStream(server.url, f.documentId, f.cookies[member]);
        const witness = await openEventStream(server.url, f.documentId, f.cookies.chair);
        try {
          await waitFor(() => server.concord.live.count() >= 2);
          for (const topic of ["proposals", "comments", "signals", "silence", "versions", "states"] as const) {
            await publishNegotiationEvent(db.sql, { documentId: f.documentId, topic, notice: `${topic} notice` });
          }
          await waitFor(() => witness.events.length === 6);
          const expected = sight === "negotiation" ? witness.events.map((e) => e.topic) : ["versions", "states"];
          await waitFor(() => stream.events.length >= expected.length);
          expect(stream.events.map((e) => e.topic)).toEqual(expected);
        } finally {
          stream.close();
          witness.close();
          await waitFor(() => server.concord.live.count() === 0);
        }
      });

      it("WebSocket: the statement unless in closed session; a draft only for its sponsors", async () => {
        const headers = { cookie: f.cookies[member] };
        expect(await upgradeStatus(`${server.wsUrl}/${f.documentId}`, headers)).toBe(sight === "none" ? 403 : 101);
        const draft = sight === "none" ? 403 : member === "delegate" ? 101 : 404;
        expect(await upgradeStatus(`${server.wsUrl}/${f.draftDocumentId}`, headers)).toBe(draft);
      });

      it("downloads: what the pages show, each in the audit trail", async () => {
        for (const d of downloads) {
          const [{ seq: before }] = await db.sql<{ seq: number }[]>`
            select coalesce(max(seq), 0)::int as seq from audit_log where conference_id = ${f.conferenceId}`;
          const res = await get(member, `${doc()}/export?${d.query()}`);
          expect(res.status, d.query()).toBe(seen(d.shows));
          await res.arrayBuffer();
          const entries = await db.sql`select 1 from audit_log where conference_id = ${f.conferenceId} and seq > ${before}
                                       and action = 'export.downloaded'`;
          expect(entries.length, d.query()).toBe(res.status === 200 ? 1 : 0);
        }
      });
    });
  });
});

/**
 * The kinds of notices a person receives, what each carries, and how it reads. Shared by the
 * server (which writes them) and the notifications page and bell (which show them); the e-mail
 * templates (server/mail/templates.ts) word the kinds sent by mail in each mail language.
 */
export const notificationKinds = [
  "mention",
  "proposal_decided",
  "thread_reply",
  "silence_opened",
  "silence_broken",
  "silence_passed",
  "silence_deadline",
  "breakout_invited",
] as const;

export type NotificationKind = (typeof notificationKinds)[number];

/** The kinds also sent by e-mail (when the deployment sends mail): the decisions and deadlines one must not miss. */
export const mailedNotificationKinds = [
  "proposal_decided",
  "silence_opened",
  "silence_broken",
  "silence_passed",
  "silence_deadline",
] as const satisfies readonly NotificationKind[];

export type MailedNotificationKind = (typeof mailedNotificationKinds)[number];

export const isMailedKind = (kind: NotificationKind): kind is MailedNotificationKind =>
  (mailedNotificationKinds as readonly NotificationKind[]).includes(kind);

/** The languages Concord's e-mail is written in; a person chooses one (English by default). */
export const mailLanguages = { en: "English", fr: "Français", es: "Español" } as const;

export type MailLanguage = keyof typeof mailLanguages;

export const isMailLanguage = (code: string): code is MailLanguage => Object.hasOwn(mailLanguages, code);

/** What a person chooses to receive, as the preferences list it. */
export const notificationKindLabels: Record<NotificationKind, string> = {
  mention: "My delegation is mentioned in a comment",
  proposal_decided: "The chair decides on my delegation's proposal",
  thread_reply: "Someone replies in a thread I took part in",
  silence_opened: "A silence procedure is opened",
  silence_broken: "Silence is broken",
  silence_passed: "A silence procedure passes",
  silence_deadline: "A silence procedure's deadline is 24 hours or 1 hour away",
  breakout_invited: "I am invited to a breakout",
};

/** What every notice carries: the statement it is about and where it links. */
interface Common {
  /** The page it happened on, with the place on it (`/documents/<id>#clause-<id>`). */
  path: string;
  /** The statement's title, for the list. */
  documentTitle: string;
}

export interface NotificationPayloads {
  mention: Common & { authorName: string; affiliation: string; delegationName: string; excerpt: string };
  proposal_decided: Common & { proposal: string; decision: "accepted" | "rejected" | "merged"; reason: string | null };
  thread_reply: Common & { authorName: string; affiliation: string; excerpt: string };
  silence_opened: Common & { deadline: string; timeZone: string };
  silence_broken: Common & { delegationName: string; excerpt: string };
  silence_passed: Common;
  silence_deadline: Common & { deadline: string; timeZone: string; lead: "24h" | "1h" };
  /** The breakout's name and clauses ("B1 (OP2, OP3)"), and who set it up or added the delegation. */
  breakout_invited: Common & { breakoutTitle: string; invitedBy: string };
}

export type NotificationPayload<K extends NotificationKind = NotificationKind> = NotificationPayloads[K];

/** A notice as the page and the bell's live stream show it. */
export interface NotificationView {
  id: string;
  kind: NotificationKind;
  text: string;
  path: string;
  documentTitle: string;
  createdAt: string;
  read: boolean;
}

/** What a person's notification stream carries: the unread count, and the newest notice (read out when it is new). */
export interface NotificationMessage {
  unread: number;
  latest: NotificationView | null;
}

/** A deadline as the chair gave it: on the clocks of their time zone, named. */
export function deadlineText(deadline: string, timeZone: string): string {
  const when = new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "long", timeStyle: "short" }).format(new Date(deadline));
  return `${when} (${timeZone})`;
}

const decisions: Record<NotificationPayloads["proposal_decided"]["decision"], string> = {
  accepted: "accepted",
  rejected: "rejected",
  merged: "merged into a compromise",
};

/** One line saying what happened. */
export function notificationText(kind: NotificationKind, payload: NotificationPayload): string {
  switch (kind) {
    case "mention": {
      const p = payload as NotificationPayloads["mention"];
      return `${p.authorName} (${p.affiliation}) mentioned ${p.delegationName}: “${p.excerpt}”`;
    }
    case "proposal_decided": {
      const p = payload as NotificationPayloads["proposal_decided"];
      return `The chair ${decisions[p.decision]} ${p.proposal}${p.reason ? `: “${p.reason}”` : "."}`;
    }
    case "thread_reply": {
      const p = payload as NotificationPayloads["thread_reply"];
      return `${p.authorName} (${p.affiliation}) replied in a thread you took part in: “${p.excerpt}”`;
    }
    case "silence_opened": {
      const p = payload as NotificationPayloads["silence_opened"];
      return `The chair opened a silence procedure until ${deadlineText(p.deadline, p.timeZone)}.`;
    }
    case "silence_broken": {
      const p = payload as NotificationPayloads["silence_broken"];
      return `Silence was broken by ${p.delegationName}: “${p.excerpt}”`;
    }
    case "silence_passed":
      return "The silence procedure has passed: the text is adopted.";
    case "silence_deadline": {
      const p = payload as NotificationPayloads["silence_deadline"];
      return `The silence procedure ends in ${p.lead === "24h" ? "24 hours" : "1 hour"}, at ${deadlineText(p.deadline, p.timeZone)}.`;
    }
    case "breakout_invited": {
      const p = payload as NotificationPayloads["breakout_invited"];
      return `${p.invitedBy} invited you to the breakout “${p.breakoutTitle}”.`;
    }
  }
}

/** How many notices a page of the list shows. */
export const notificationsPageSize = 20;

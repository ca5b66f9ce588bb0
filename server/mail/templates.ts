import { escapeXml as escapeHtml } from "../export/escape";
import type { Role } from "../../app/statement/vocabulary";
import type { MailedNotificationKind, MailLanguage, NotificationPayload, NotificationPayloads } from "../../app/statement/notifications";

/** What each template needs, as queued in the outbox (server/mail/outbox.ts). */
export interface MailTemplates {
  invitation: { link: string; conferenceTitle: string; role: Role; delegation: string | null; expiresAt: string };
  password_reset: { link: string; expiresAt: string };
  notice: { kind: MailedNotificationKind; payload: NotificationPayload };
}

export type MailTemplate = keyof MailTemplates;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** A message as its template words it: paragraphs of text, and the one link it leads to. */
interface Wording {
  subject: string;
  paragraphs: string[];
  link: { label: string; url: string };
  after?: string[];
  /** How to stop mail of this kind, for a notice. */
  unsubscribe?: { label: string; url: string };
}

const locales: Record<MailLanguage, string> = { en: "en-GB", fr: "fr-FR", es: "es-ES" };

const when = (language: MailLanguage, iso: string, timeZone = "UTC") =>
  `${new Intl.DateTimeFormat(locales[language], { timeZone, dateStyle: "long", timeStyle: "short" }).format(new Date(iso))} (${timeZone})`;

const roleNames: Record<MailLanguage, Record<Role, string>> = {
  en: { secretariat: "secretariat", chair: "chair", delegate: "delegate", observer: "observer", translator: "translator" },
  fr: {
    secretariat: "secrétariat",
    chair: "présidence",
    delegate: "délégué·e",
    observer: "observateur·rice",
    translator: "traducteur·rice",
  },
  es: { secretariat: "secretaría", chair: "presidencia", delegate: "delegado/a", observer: "observador/a", translator: "traductor/a" },
};

/** Each notice kind sent by mail, as a subject and as the thing one stops receiving. */
const noticeKindNames: Record<MailLanguage, Record<MailedNotificationKind, string>> = {
  en: {
    proposal_decided: "Decision on your delegation's proposal",
    silence_opened: "Silence procedure opened",
    silence_broken: "Silence broken",
    silence_passed: "Silence procedure passed",
    silence_deadline: "Silence procedure deadline",
  },
  fr: {
    proposal_decided: "Décision sur la proposition de votre délégation",
    silence_opened: "Procédure d'accord tacite ouverte",
    silence_broken: "Silence rompu",
    silence_passed: "Procédure d'accord tacite close",
    silence_deadline: "Échéance de la procédure d'accord tacite",
  },
  es: {
    proposal_decided: "Decisión sobre la propuesta de su delegación",
    silence_opened: "Procedimiento de silencio abierto",
    silence_broken: "Silencio roto",
    silence_passed: "Procedimiento de silencio concluido",
    silence_deadline: "Plazo del procedimiento de silencio",
  },
};

type P<K extends MailedNotificationKind> = NotificationPayloads[K];

/** One sentence per notice kind and language, saying what happened (the app's notificationText, translated). */
const noticeSentences: Record<MailLanguage, { [K in MailedNotificationKind]: (p: P<K>) => string }> = {
  en: {
    proposal_decided: (p) =>
      `The chair ${{ accepted: "accepted", rejected: "rejected", merged: "merged into a compromise" }[p.decision]} ${p.proposal}${p.reason ? `: “${p.reason}”` : "."}`,
    silence_opened: (p) => `The chair opened a silence procedure until ${when("en", p.deadline, p.timeZone)}.`,
    silence_broken: (p) => `Silence was broken by ${p.delegationName}: “${p.excerpt}”`,
    silence_passed: () => "The silence procedure has passed: the text is adopted.",
    silence_deadline: (p) =>
      `The silence procedure ends in ${p.lead === "24h" ? "24 hours" : "1 hour"}, at ${when("en", p.deadline, p.timeZone)}.`,
  },
  fr: {
    proposal_decided: (p) =>
      `La présidence a ${{ accepted: "accepté", rejected: "rejeté", merged: "fusionné dans un compromis" }[p.decision]} ${p.proposal}${p.reason ? ` : « ${p.reason} »` : "."}`,
    silence_opened: (p) => `La présidence a ouvert une procédure d'accord tacite jusqu'au ${when("fr", p.deadline, p.timeZone)}.`,
    silence_broken: (p) => `Le silence a été rompu par ${p.delegationName} : « ${p.excerpt} »`,
    silence_passed: () => "La procédure d'accord tacite est close sans objection : le texte est adopté.",
    silence_deadline: (p) =>
      `La procédure d'accord tacite se termine dans ${p.lead === "24h" ? "24 heures" : "1 heure"}, le ${when("fr", p.deadline, p.timeZone)}.`,
  },
  es: {
    proposal_decided: (p) =>
      `La presidencia ${{ accepted: "aceptó", rejected: "rechazó", merged: "fusionó en un compromiso" }[p.decision]} ${p.proposal}${p.reason ? `: «${p.reason}»` : "."}`,
    silence_opened: (p) => `La presidencia abrió un procedimiento de silencio hasta el ${when("es", p.deadline, p.timeZone)}.`,
    silence_broken: (p) => `${p.delegationName} rompió el silencio: «${p.excerpt}»`,
    silence_passed: () => "El procedimiento de silencio ha concluido: el texto queda adoptado.",
    silence_deadline: (p) =>
      `El procedimiento de silencio termina dentro de ${p.lead === "24h" ? "24 horas" : "1 hora"}, el ${when("es", p.deadline, p.timeZone)}.`,
  },
};

const phrases = {
  en: {
    invitationSubject: (conference: string) => `Invitation to ${conference}`,
    invitation: (conference: string, role: string) => `You are invited to take part in ${conference} as ${role}, on Concord.`,
    invitationLink: "Accept the invitation",
    once: (expiresAt: string) => `The link works once, until ${expiresAt}.`,
    resetSubject: "Choose a new Concord password",
    reset: "Someone, hopefully you, asked to choose a new password for your Concord account.",
    resetLink: "Choose a new password",
    resetIgnore: "If you did not ask for it, ignore this message: your password stays as it is.",
    noticeLink: "Open in Concord",
    unsubscribe: (kind: string) => `You receive this because e-mail is on for “${kind}”. Stop these e-mails:`,
  },
  fr: {
    invitationSubject: (conference: string) => `Invitation : ${conference}`,
    invitation: (conference: string, role: string) => `Vous êtes invité·e à participer à ${conference} (${role}), sur Concord.`,
    invitationLink: "Accepter l'invitation",
    once: (expiresAt: string) => `Le lien ne fonctionne qu'une fois, jusqu'au ${expiresAt}.`,
    resetSubject: "Choisir un nouveau mot de passe Concord",
    reset: "Quelqu'un, sans doute vous, a demandé à choisir un nouveau mot de passe pour votre compte Concord.",
    resetLink: "Choisir un nouveau mot de passe",
    resetIgnore: "Si vous ne l'avez pas demandé, ignorez ce message : votre mot de passe reste inchangé.",
    noticeLink: "Ouvrir dans Concord",
    unsubscribe: (kind: string) => `Vous recevez ce message car l'e-mail est activé pour « ${kind} ». Ne plus recevoir ces e-mails :`,
  },
  es: {
    invitationSubject: (conference: string) => `Invitación: ${conference}`,
    invitation: (conference: string, role: string) => `Está invitado/a a participar en ${conference} (${role}), en Concord.`,
    invitationLink: "Aceptar la invitación",
    once: (expiresAt: string) => `El enlace funciona una sola vez, hasta el ${expiresAt}.`,
    resetSubject: "Elegir una nueva contraseña de Concord",
    reset: "Alguien, probablemente usted, pidió elegir una nueva contraseña para su cuenta de Concord.",
    resetLink: "Elegir una nueva contraseña",
    resetIgnore: "Si no lo pidió, ignore este mensaje: su contraseña no cambia.",
    noticeLink: "Abrir en Concord",
    unsubscribe: (kind: string) => `Recibe este mensaje porque el correo está activado para «${kind}». Dejar de recibir estos correos:`,
  },
} satisfies Record<MailLanguage, unknown>;

function word<T extends MailTemplate>(
  template: T,
  language: MailLanguage,
  data: MailTemplates[T],
  origin: string,
  unsubscribeUrl: string | null,
): Wording {
  const w = phrases[language];
  if (template === "invitation") {
    const d = data as MailTemplates["invitation"];
    const role = roleNames[language][d.role] + (d.delegation ? `, ${d.delegation}` : "");
    return {
      subject: w.invitationSubject(d.conferenceTitle),
      paragraphs: [w.invitation(d.conferenceTitle, role), w.once(when(language, d.expiresAt))],
      link: { label: w.invitationLink, url: d.link },
    };
  }
  if (template === "password_reset") {
    const d = data as MailTemplates["password_reset"];
    return {
      subject: w.resetSubject,
      paragraphs: [w.reset, w.once(when(language, d.expiresAt))],
      link: { label: w.resetLink, url: d.link },
      after: [w.resetIgnore],
    };
  }
  const { kind, payload } = data as MailTemplates["notice"];
  const sentence = (noticeSentences[language][kind] as (p: NotificationPayload) => string)(payload);
  const kindName = noticeKindNames[language][kind];
  return {
    subject: `${kindName}: ${payload.documentTitle}`,
    paragraphs: [payload.documentTitle, sentence],
    link: { label: w.noticeLink, url: new URL(payload.path, origin).toString() },
    unsubscribe: unsubscribeUrl ? { label: w.unsubscribe(kindName), url: unsubscribeUrl } : undefined,
  };
}

/**
 * One message from its template, in the language asked for, as plain text and as HTML (everything
 * in it escaped: names, titles and excerpts are what participants typed). `origin` is the
 * deployment's public address; `unsubscribeUrl`, for a notice, turns its kind's e-mail off.
 */
export function renderMail<T extends MailTemplate>(
  template: T,
  language: MailLanguage,
  data: MailTemplates[T],
  { origin, unsubscribeUrl = null }: { origin: string; unsubscribeUrl?: string | null },
): RenderedMail {
  const m = word(template, language, data, origin, unsubscribeUrl);
  const text =
    [
      ...m.paragraphs,
      `${m.link.label}: ${m.link.url}`,
      ...(m.after ?? []),
      ...(m.unsubscribe ? [`-- \n${m.unsubscribe.label} ${m.unsubscribe.url}`] : []),
    ].join("\n\n") + "\n";
  const paragraph = (p: string) => `<p>${escapeHtml(p)}</p>`;
  const html = [
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(m.subject)}</title></head><body>`,
    ...m.paragraphs.map(paragraph),
    `<p><a href="${escapeHtml(m.link.url)}">${escapeHtml(m.link.label)}</a></p>`,
    ...(m.after ?? []).map(paragraph),
    ...(m.unsubscribe
      ? [
          `<hr><p><small>${escapeHtml(m.unsubscribe.label)} <a href="${escapeHtml(m.unsubscribe.url)}">${escapeHtml(m.unsubscribe.url)}</a></small></p>`,
        ]
      : []),
    "</body></html>",
  ].join("\n");
  return { subject: m.subject, text, html };
}

import type { Transporter } from "nodemailer";
import type { Sql } from "../db/sql";
import type { Auth } from "../auth/service";
import { claimMail, mailChannel, markMailFailed, markMailSent, purgeMail, secondsUntilNextMail, type ClaimedMail } from "../queries/mail";
import { renderMail, type MailTemplates } from "./templates";
import { unsubscribePath, unsubscribeToken } from "./unsubscribe";
import { logFunction } from "../log";

export interface MailSender {
  /** Listens for queued mail and sends what is due. */
  start(): Promise<void>;
  /** Finishes the message being sent and stops. */
  stop(): Promise<void>;
}

/** Waits before each retry: a server refusing for a moment (greylisting, 4xx) is tried again, ever later. */
const retryDelaysSeconds = [5, 60, 300, 1800, 7200];
/** Given up after this many attempts (the first and each retry): about two and a half hours. */
const maxAttempts = retryDelaysSeconds.length + 1;
/** How long a claimed message is this instance's before another may take it (should this one die while sending). */
const leaseSeconds = 300;
const batchSize = 20;
/** With nothing queued, the outbox is looked at this often anyway (a notification lost while reconnecting). */
const idleSeconds = 60;
/**
 * What was sent (or given up) stays this long, to answer "did my invitation go out?", then goes:
 * its rows hold people's addresses. Looked at on start and every `purgeEverySeconds`.
 */
export const keepSentDays = 30;
const purgeEverySeconds = 3600;

/** What the log and the outbox keep of a failure: the SMTP answer, never the message or the credentials. */
function describeFailure(err: unknown): string {
  const e = err as { responseCode?: number; code?: string; message?: string } | null;
  return [e?.responseCode, e?.code, e?.message?.split("\n")[0]].filter(Boolean).join(" ") || "unknown error";
}

/**
 * Sends the outbox through SMTP_URL (nodemailer). Every instance runs one: each claims due rows
 * with `for update skip locked` (queries/mail.ts), so a message is sent by one of them. A failed
 * attempt is retried later, and after `maxAttempts` marked failed; each failure is logged by the
 * message's id with the server's answer.
 */
export function createMailSender({
  sql,
  auth,
  smtpUrl,
  from,
  origin,
  log = logFunction("mail"),
}: {
  sql: Sql;
  auth: Pick<Auth, "signature" | "verifySignature">;
  smtpUrl: string;
  from: string;
  /** PUBLIC_URL: the links in mail are built on it. */
  origin: string;
  log?: (msg: string) => void;
}): MailSender {
  // Made at start: nodemailer is loaded only by a server that sends mail.
  let transport: Transporter | null = null;
  let stopped = false;
  let wake: (() => void) | null = null;
  /** Mail was announced since the last look (while not sleeping, when there is nobody to wake). */
  let poked = false;
  const poke = () => {
    poked = true;
    wake?.();
  };
  let running: Promise<void> | null = null;
  let unlisten: (() => Promise<void>) | null = null;

  const sleep = (seconds: number) =>
    new Promise<void>((resolve) => {
      if (poked || stopped) {
        resolve();
        return;
      }
      const timer = setTimeout(done, seconds * 1000);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  async function send(transport: Transporter, mail: ClaimedMail) {
    const notice = mail.template === "notice" ? (mail.data as MailTemplates["notice"]) : null;
    const unsubscribeUrl =
      notice && mail.userId ? new URL(unsubscribePath(unsubscribeToken(auth, mail.userId, notice.kind)), origin).toString() : null;
    const message = renderMail(mail.template, mail.language, mail.data, { origin, unsubscribeUrl });
    await transport.sendMail({
      from,
      to: mail.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      // RFC 8058: a mail client's "unsubscribe" button posts to the link, without opening it.
      headers: unsubscribeUrl ? { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } : {},
    });
  }

  /** Sends one batch of due messages; returns how many were claimed. */
  async function round(transport: Transporter): Promise<number> {
    const batch = await claimMail(sql, batchSize, leaseSeconds);
    for (const mail of batch) {
      if (stopped) break;
      try {
        await send(transport, mail);
        await markMailSent(sql, mail.id);
      } catch (err) {
        const failure = describeFailure(err);
        const retry = mail.attempts < maxAttempts ? retryDelaysSeconds[mail.attempts - 1] : null;
        await markMailFailed(sql, mail.id, failure, retry);
        log(
          `message ${mail.id} (${mail.template}), attempt ${mail.attempts} of ${maxAttempts}, failed: ${failure}; ${
            retry === null ? "given up" : `retrying in ${retry} s`
          }`,
        );
      }
    }
    return batch.length;
  }

  let purgedAt = -Infinity;
  async function loop(transport: Transporter) {
    while (!stopped) {
      poked = false;
      try {
        if ((await round(transport)) > 0) continue;
        if (performance.now() - purgedAt >= purgeEverySeconds * 1000) {
          await purgeMail(sql, keepSentDays);
          purgedAt = performance.now();
        }
        const next = await secondsUntilNextMail(sql);
        if (!stopped) await sleep(Math.min(next ?? idleSeconds, idleSeconds));
      } catch (err) {
        log(`reading the outbox failed: ${describeFailure(err)}`);
        if (!stopped) await sleep(5);
      }
    }
  }

  return {
    async start() {
      const { default: nodemailer } = await import("nodemailer");
      transport = nodemailer.createTransport(smtpUrl);
      const listening = await sql.listen(mailChannel, poke);
      unlisten = () => listening.unlisten();
      running = loop(transport);
    },
    async stop() {
      stopped = true;
      poke();
      await running;
      await unlisten?.();
      transport?.close();
    },
  };
}

import { expect, it } from "../support/fixtures";
import { startTestServer } from "../support/server";
import { startSmtp } from "../support/smtp";
import { waitFor } from "../support/wait";
import { keepSentDays } from "../../server/mail/sender";

/**
 * The outbox keeps what was sent or given up for `keepSentDays`, then forgets it (its rows hold
 * people's addresses); nothing still queued is forgotten, however old.
 */
it("forgets mail sent or given up more than 30 days ago, and keeps the rest", async ({ db }) => {
  expect(keepSentDays).toBe(30);
  const invitation = {
    link: "http://127.0.0.1:1/invitations/x",
    conferenceTitle: "Conference on Rivers",
    role: "observer",
    delegation: null,
    expiresAt: "2026-12-31",
  };
  const insert = (address: string, status: string, daysAgo: number) => db.sql`
    insert into mail_outbox (template, to_address, language, data, status, sent_at, next_attempt_at, created_at)
    values ('invitation', ${address}, 'en', ${status === "queued" ? db.sql.json(invitation) : null}, ${status},
            ${status === "sent" ? db.sql`now() - make_interval(days => ${daysAgo})` : null},
            now() - make_interval(days => ${daysAgo}), now() - make_interval(days => ${daysAgo + 1}))`;
  await insert("sent-long-ago@example.org", "sent", 31);
  await insert("failed-long-ago@example.org", "failed", 31);
  await insert("sent-lately@example.org", "sent", 29);
  await insert("failed-lately@example.org", "failed", 29);
  // Queued, due weeks ago and never sent (the SMTP server was away): still to be sent, not forgotten.
  await insert("queued-long-ago@example.org", "queued", 40);

  const smtp = await startSmtp();
  await startTestServer({
    databaseUrl: db.url,
    env: { PUBLIC_URL: "http://127.0.0.1:1", SMTP_URL: smtp.url, MAIL_FROM: "Concord <concord@example.org>" },
  });

  const addresses = async () =>
    (await db.sql<{ to: string; status: string }[]>`select to_address as to, status from mail_outbox order by to_address`).map(
      (r) => `${r.to} ${r.status}`,
    );
  await waitFor(async () => (await addresses()).length === 3, { what: "the old rows to be forgotten" });
  expect(await addresses()).toEqual([
    "failed-lately@example.org failed",
    "queued-long-ago@example.org sent",
    "sent-lately@example.org sent",
  ]);
  const mail = await smtp.nextTo("queued-long-ago@example.org");
  expect(mail.subject).toBe("Invitation to Conference on Rivers");
});

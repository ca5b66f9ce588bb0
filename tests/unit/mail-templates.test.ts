import { describe, expect, it } from "vitest";
import { renderMail } from "../../server/mail/templates";
import {
  mailedNotificationKinds,
  mailLanguages,
  type MailedNotificationKind,
  type MailLanguage,
  type NotificationPayloads,
} from "../../app/statement/notifications";

const typed = '<b>"Tom" & Jerry\'s</b>';
const common = { path: "/documents/d1#clause-c1", documentTitle: `Statement ${typed}` };
const deadline = { deadline: "2026-12-24T15:00:00.000Z", timeZone: "Europe/Paris" };
const payloads: { [K in MailedNotificationKind]: NotificationPayloads[K] } = {
  proposal_decided: { ...common, proposal: "P3", decision: "merged", reason: typed },
  silence_opened: { ...common, ...deadline },
  silence_broken: { ...common, delegationName: typed, excerpt: typed },
  silence_passed: common,
  silence_deadline: { ...common, ...deadline, lead: "1h" },
};
const languages = Object.keys(mailLanguages) as MailLanguage[];
const options = { origin: "https://concord.example.org", unsubscribeUrl: "https://concord.example.org/unsubscribe/t.s" };

describe("mail templates", () => {
  describe.each(languages)("in %s", (language) => {
    it.each(mailedNotificationKinds)("word a %s notice in text and escaped HTML", (kind) => {
      const mail = renderMail("notice", language, { kind, payload: payloads[kind] }, options);
      for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/undefined|null|\[object/);
      expect(mail.text).toContain(`Statement ${typed}`);
      expect(mail.text).toContain("https://concord.example.org/documents/d1#clause-c1");
      expect(mail.text).toContain(options.unsubscribeUrl);
      expect(mail.html).not.toContain("<b>");
      expect(mail.html).toContain("&lt;b&gt;&quot;Tom&quot; &amp; Jerry&#39;s&lt;/b&gt;");
      expect(mail.html).toContain(`lang="${language}"`);
    });

    it("words an invitation and a password link, with the link and its expiry in the language's clock", () => {
      const invitation = renderMail(
        "invitation",
        language,
        {
          link: "https://x.example/invitations/abc",
          conferenceTitle: typed,
          role: "delegate",
          delegation: "Norway",
          expiresAt: deadline.deadline,
        },
        options,
      );
      expect(invitation.text).toContain("https://x.example/invitations/abc");
      expect(invitation.text).toContain("Norway");
      expect(invitation.html).not.toContain("<b>");
      const reset = renderMail(
        "password_reset",
        language,
        { link: "https://x.example/reset-password/abc", expiresAt: deadline.deadline },
        options,
      );
      expect(reset.text).toContain("https://x.example/reset-password/abc");
      expect(reset.text).toContain("2026");
      // A password link carries no unsubscribe link: it is not a notice.
      expect(reset.text).not.toContain("unsubscribe");
    });
  });

  it("words the same notice differently in each language", () => {
    const texts = languages.map((l) => renderMail("notice", l, { kind: "silence_passed", payload: payloads.silence_passed }, options).text);
    expect(new Set(texts).size).toBe(languages.length);
  });
});

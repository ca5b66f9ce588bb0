import { Form } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CopyField } from "~/components/CopyField";
import { ErrorList, Field, CsrfInput, SelectField } from "~/components/forms";
import { formatUtc } from "~/utils/dates";
import type { FieldErrors } from "~/utils/forms";
import { defaultInvitationDays, invitationDayChoices } from "~/statement/limits";
import type { Option } from "./types";

/** The invitation form, and the link just created (shown once, emptying the form). */
export function InviteSection({
  path,
  created,
  errors,
  values,
  roleOptions,
  delegationOptions,
  languageOptions,
  mailing,
  busy,
}: {
  path: string;
  created: { message: string; invitation: { link: string; expiresAt: string } } | null;
  errors: FieldErrors;
  values: Record<string, string>;
  roleOptions: Option[];
  delegationOptions: Option[];
  /** The conference's languages, for translators. */
  languageOptions: Option[];
  /** Whether this Concord sends the invitation by e-mail (SMTP_URL). */
  mailing: boolean;
  busy: boolean;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (created) formRef.current?.reset();
  }, [created]);
  return (
    <section className="card" aria-labelledby="invite">
      <h3 id="invite">Invite a person</h3>
      <p className="hint">
        {mailing
          ? "Creates a one-time link for this e-mail address and sends it there (it is shown here too, once); they choose their name and password (or sign in, if they have an account)."
          : "Creates a one-time link for this e-mail address. Send it to the person yourself; they choose their name and password (or sign in, if they have an account)."}
      </p>
      {created ? (
        <div className="created-link">
          <p>
            <strong>{created.message}</strong> The link is valid until {formatUtc(created.invitation.expiresAt)}. It is shown only this
            once: copy it now.
          </p>
          <CopyField label="Invitation link" value={created.invitation.link} />
        </div>
      ) : null}
      <Form method="post" action={path} className="form inline-form" noValidate ref={formRef}>
        <CsrfInput />
        <input type="hidden" name="intent" value="invite" />
        <ErrorList errors={errors.form} />
        <Field
          label="E-mail"
          name="email"
          type="email"
          required
          maxLength={254}
          autoComplete="off"
          defaultValue={values.email}
          errors={errors.email}
        />
        <SelectField label="Role" name="role" options={roleOptions} defaultValue={values.role ?? "delegate"} errors={errors.role} />
        <SelectField
          label="Delegation (delegates only)"
          name="delegationId"
          options={delegationOptions}
          defaultValue={values.delegationId ?? ""}
          errors={errors.delegationId}
        />
        <SelectField
          label="Language (translators only)"
          name="language"
          options={languageOptions}
          defaultValue={values.language ?? ""}
          errors={errors.language}
        />
        <SelectField
          label="Valid for"
          name="days"
          options={invitationDayChoices.map((d) => ({ value: String(d), label: d === 1 ? "1 day" : `${d} days` }))}
          defaultValue={values.days ?? String(defaultInvitationDays)}
          errors={errors.days}
        />
        <button type="submit" className="button primary" disabled={busy}>
          Create invitation link
        </button>
      </Form>
    </section>
  );
}

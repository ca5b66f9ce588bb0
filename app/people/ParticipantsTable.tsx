import { Form, Link } from "@remix-run/react";
import { CsrfInput, SelectField } from "~/components/forms";
import type { FieldErrors } from "~/utils/forms";
import { describeRole } from "~/statement/people-labels";
import type { Member, Option } from "./types";

/** The participants, each with a form to change their role and a link to remove them (not for oneself). */
export function ParticipantsTable({
  members,
  currentUserId,
  conferenceTitle,
  path,
  roleOptions,
  delegationOptions,
  languageOptions,
  roleErrors,
  roleValues,
  busy,
}: {
  members: Member[];
  currentUserId: string;
  conferenceTitle: string;
  path: string;
  roleOptions: Option[];
  delegationOptions: Option[];
  /** The conference's languages, for translators. */
  languageOptions: Option[];
  /** The refused role change's errors and values, shown in the row of its person. */
  roleErrors: FieldErrors;
  roleValues: Record<string, string>;
  busy: boolean;
}) {
  return (
    <section aria-labelledby="participants">
      <h3 id="participants">Participants</h3>
      {members.length === 0 ? (
        <p>Nobody takes part yet. Invite people below or import them from a CSV file.</p>
      ) : (
        <table className="data-table people-table">
          <caption className="visually-hidden">Participants of {conferenceTitle}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Delegation</th>
              <th scope="col">Change role</th>
              <th scope="col">
                <span className="visually-hidden">Password link and removal</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => {
              const mine = m.userId === currentUserId;
              const rowErrors = roleValues.userId === m.userId ? roleErrors : {};
              // A refused change shows what was asked, to correct it; otherwise the row shows what the person holds.
              const refused = Boolean(rowErrors.role || rowErrors.delegationId || rowErrors.language);
              return (
                <tr key={m.userId} data-email={m.email}>
                  <th scope="row">
                    {m.name}
                    {mine ? <span className="you"> (you)</span> : null}
                  </th>
                  <td>{m.email}</td>
                  <td>{describeRole(m.role, null, m.language)}</td>
                  <td>{m.delegationName ? `${m.delegationName} (${m.delegationCode})` : "—"}</td>
                  <td>
                    {mine ? (
                      <span className="hint">Another member of the secretariat can change your role.</span>
                    ) : (
                      <Form method="post" action={path} className="row-form" key={`${m.role}:${m.delegationId ?? ""}:${m.language ?? ""}`}>
                        <CsrfInput />
                        <input type="hidden" name="intent" value="role" />
                        <input type="hidden" name="userId" value={m.userId} />
                        <SelectField
                          label={`Role of ${m.name}`}
                          name="role"
                          options={roleOptions}
                          defaultValue={refused ? roleValues.role : m.role}
                          errors={rowErrors.role}
                        />
                        <SelectField
                          label={`Delegation of ${m.name} (delegates only)`}
                          name="delegationId"
                          options={delegationOptions}
                          defaultValue={refused ? roleValues.delegationId : (m.delegationId ?? "")}
                          errors={rowErrors.delegationId}
                        />
                        <SelectField
                          label={`Language of ${m.name} (translators only)`}
                          name="language"
                          options={languageOptions}
                          defaultValue={refused ? roleValues.language : (m.language ?? "")}
                          errors={rowErrors.language}
                        />
                        <button type="submit" className="button small" disabled={busy}>
                          Save<span className="visually-hidden"> role of {m.name}</span>
                        </button>
                      </Form>
                    )}
                  </td>
                  <td>
                    {mine ? null : (
                      <>
                        <Form method="post" action={path} className="row-form">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="resetLink" />
                          <input type="hidden" name="userId" value={m.userId} />
                          <button type="submit" className="button small" disabled={busy}>
                            Password link<span className="visually-hidden"> for {m.name}</span>
                          </button>
                        </Form>
                        <Link to={`${path}?remove=${m.userId}`} className="button small danger">
                          Remove<span className="visually-hidden"> {m.name}</span>…
                        </Link>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

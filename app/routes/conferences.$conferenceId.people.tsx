import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import type { ConferenceRow } from "../../server/queries/conferences";
import type { SessionUser } from "../../server/queries/sessions";
import type { ImportOutcome } from "../../server/people/import";
import { defaultInvitationDays, invitationDayChoices, maxImportBytes } from "../../server/people/constants";
import {
  changeRole,
  findDelegation,
  findMembership,
  findUser,
  findUserByEmail,
  importPeople,
  issueInvitation,
  listDelegations,
  listInvitations,
  listMembers,
  removePerson,
  revokeInvitation,
} from "../utils/people.server";
import { ConferenceLayout } from "../components/ConferenceLayout";
import { CopyField } from "../components/CopyField";
import { CsrfInput, ErrorList, Field, SelectField } from "../components/forms";
import { readProtectedForm, requireConferencePermission } from "../utils/auth.server";
import { formatUtc } from "../utils/dates";
import { invalid, parseForm, type FieldErrors } from "../utils/forms";
import { readProtectedUpload } from "../utils/upload.server";
import { roleLabels } from "../statement/people-labels";
import { type Role, roles } from "../statement/vocabulary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `People · ${data.conference.title} · Concord` : "Concord" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { conference, user } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  const [members, delegations, invitations] = await Promise.all([
    listMembers(context.sql, conference.id),
    listDelegations(context.sql, conference.id),
    listInvitations(context.sql, conference.id),
  ]);
  return { conference, members, delegations, invitations, currentUserId: user.id };
}

const roleSchema = z.enum(roles as [Role, ...Role[]], { error: "Choose a role." });
const needsDelegation = (v: { role: Role; delegationId?: string }, ctx: z.RefinementCtx) => {
  if (v.role === "delegate" && !v.delegationId)
    ctx.addIssue({ code: "custom", path: ["delegationId"], message: "Choose the delegation this delegate speaks for." });
};
const optionalId = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => v || undefined);

const userIdSchema = z
  .string({ error: "Choose a person." })
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "Choose a person.");
const roleChangeSchema = z.object({ userId: userIdSchema, role: roleSchema, delegationId: optionalId }).superRefine(needsDelegation);
const removeSchema = z.object({ userId: userIdSchema });
const inviteSchema = z
  .object({
    email: z
      .string({ error: "Enter the e-mail address of the person to invite." })
      .trim()
      .max(254, "That e-mail address is too long.")
      .email("Enter a valid e-mail address."),
    role: roleSchema,
    delegationId: optionalId,
    days: z
      .enum(invitationDayChoices.map(String) as [string, ...string[]], { error: "Choose how long the link stays valid." })
      .transform(Number),
  })
  .superRefine(needsDelegation);
const revokeSchema = z.object({ invitationId: z.string({ error: "Choose an invitation." }).min(1).max(100) });

const describe = (role: Role, delegation: { name: string; code: string } | null) =>
  `${roleLabels[role]}${delegation ? ` of ${delegation.name} (${delegation.code})` : ""}`;

/** Everything the secretariat does on this page; every branch is checked for the right and the anti-forgery token. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { conference, user } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data"))
    return importAction(request, context, conference, user);

  const form = await readProtectedForm(request, context, user);
  const intent = form.get("intent");
  const sql = context.sql;

  if (intent === "role") {
    const parsed = parseForm(form, roleChangeSchema);
    if (!parsed.ok) return invalid(parsed);
    const { userId, role, delegationId } = parsed.data;
    const change = await changeRole(sql, {
      conferenceId: conference.id,
      userId,
      role,
      delegationId: role === "delegate" ? delegationId ?? null : null,
      actorId: user.id,
    });
    if (!change.ok) {
      // Errors about the person (not a participant, or oneself) are about the form as a whole: that row may have no form.
      const field = change.field === "userId" ? "form" : change.field;
      return invalid({ errors: { [field]: [change.error] }, values: { intent, userId, role, delegationId: delegationId ?? "" } });
    }
    const delegation = role === "delegate" && delegationId ? await findDelegation(sql, conference.id, delegationId) : null;
    const person = await personName(context, userId);
    return {
      ok: true as const,
      intent: "role" as const,
      message: change.changed
        ? `${person} is now ${describe(role, delegation)}.`
        : `${person} was already ${describe(role, delegation)}; nothing changed.`,
    };
  }

  if (intent === "remove") {
    const parsed = parseForm(form, removeSchema);
    if (!parsed.ok) return invalid(parsed);
    const person = await personName(context, parsed.data.userId);
    const removed = await removePerson(sql, { conferenceId: conference.id, userId: parsed.data.userId, actorId: user.id });
    if (!removed.ok) return invalid({ errors: { form: [removed.error] }, values: { intent } });
    return { ok: true as const, intent: "remove" as const, message: `${person} was removed from the conference.` };
  }

  if (intent === "invite") {
    const parsed = parseForm(form, inviteSchema);
    if (!parsed.ok) return invalid(parsed);
    const { email, role, days } = parsed.data;
    const values = { intent, email, role, delegationId: parsed.data.delegationId ?? "", days: String(days) };
    const delegation =
      role === "delegate" && parsed.data.delegationId ? await findDelegation(sql, conference.id, parsed.data.delegationId) : null;
    if (role === "delegate" && !delegation)
      return invalid({ errors: { delegationId: ["There is no such delegation in this conference."] }, values });
    const account = await findUserByEmail(sql, email);
    const membership = account ? await findMembership(sql, conference.id, account.id) : null;
    if (membership) {
      return invalid({
        errors: {
          email: [
            `${email} already takes part in this conference as ${
              roleLabels[membership.role]
            }. Change their role in the list of participants.`,
          ],
        },
        values,
      });
    }
    const invitation = await issueInvitation(sql, {
      conferenceId: conference.id,
      email,
      role,
      delegationId: delegation?.id ?? null,
      createdBy: user.id,
      days,
      origin: new URL(request.url).origin,
    });
    return {
      ok: true as const,
      intent: "invite" as const,
      message: `Invitation created for ${email} as ${describe(role, delegation)}.`,
      invitation: { email, link: invitation.link, expiresAt: invitation.expiresAt.toISOString() },
    };
  }

  if (intent === "revoke") {
    const parsed = parseForm(form, revokeSchema);
    if (!parsed.ok) return invalid(parsed);
    const revoked = await revokeInvitation(sql, conference.id, parsed.data.invitationId);
    if (!revoked)
      return invalid({
        errors: { form: ["This invitation is no longer pending: it was used, has expired or was revoked already."] },
        values: { intent },
      });
    return { ok: true as const, intent: "revoke" as const, message: "The invitation was revoked; its link no longer works." };
  }

  if (intent === "import") return invalid({ errors: { file: ["Choose a CSV file to import."] }, values: { intent } });

  return invalid({ errors: { form: ["Unknown action."] } });
}

async function personName(context: AppLoadContext, userId: string): Promise<string> {
  return (await findUser(context.sql, userId))?.name ?? "The person";
}

/** CSV import: the upload is read by {@link readProtectedUpload}; a file over the limit is answered next to the file field. */
async function importAction(request: Request, context: AppLoadContext, conference: ConferenceRow, user: SessionUser) {
  const upload = await readProtectedUpload(request, context, user, { intent: "import", maxBytes: maxImportBytes });
  const values = { intent: "import" };
  if (!upload.ok) {
    switch (upload.problem) {
      case "unknown-intent":
        return invalid({ errors: { form: ["Unknown action."] } });
      case "too-large":
        return invalid({
          errors: {
            file: [`The file is larger than ${maxImportBytes / 1024 / 1024} MB. Split it into smaller files and import them one by one.`],
          },
          values,
        });
      case "no-file":
        return invalid({ errors: { file: ["Choose a CSV file to import."] }, values });
      case "empty":
        return invalid({ errors: { file: ["The file is empty."] }, values });
    }
  }
  const { file } = upload;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return invalid({
      errors: { file: ["The file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8” and try again."] },
      values,
    });
  }
  const result = await importPeople(context.sql, {
    conferenceId: conference.id,
    actorId: user.id,
    text,
    origin: new URL(request.url).origin,
  });
  if (!result.ok) return invalid({ errors: { file: [result.error] }, values });
  const c = result.counts;
  const done = c.added + c.updated + c.invited + c.unchanged;
  return {
    ok: true as const,
    intent: "import" as const,
    message: `Import of ${file.name || "the file"} finished: ${done} of ${result.rows.length} rows accepted (${c.invited} invited, ${
      c.added
    } added, ${c.updated} updated, ${c.unchanged} unchanged), ${c.rejected} rejected.${
      c.kept ? ` ${c.kept} kept as they are: the secretariat and the deployment administrator are never changed by an import.` : ""
    }`,
    report: result.rows,
  };
}

const outcomeLabels: Record<ImportOutcome, string> = {
  added: "Added",
  updated: "Updated",
  unchanged: "Unchanged",
  invited: "Invited",
  kept: "Kept",
  rejected: "Rejected",
};

const statusLabels = { pending: "Pending", accepted: "Accepted", expired: "Expired", revoked: "Revoked" } as const;

export default function PeoplePage() {
  const { conference, members, delegations, invitations, currentUserId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const location = useLocation();
  const path = `/conferences/${conference.id}/people`;
  const failure = result && !result.ok ? result : null;
  const errorsFor = (intent: string): FieldErrors => (failure && failure.values.intent === intent ? failure.errors : {});
  const valuesFor = (intent: string): Record<string, string> => (failure && failure.values.intent === intent ? failure.values : {});
  const removeId = new URLSearchParams(location.search).get("remove");
  const removing = removeId ? members.find((m) => m.userId === removeId && m.userId !== currentUserId) : undefined;
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (removing) confirmHeading.current?.focus();
  }, [removing?.userId]);

  const roleOptions = roles.map((r) => ({ value: r, label: roleLabels[r] }));
  const delegationOptions = [
    { value: "", label: "— No delegation —" },
    ...delegations.map((d) => ({ value: d.id, label: `${d.name} (${d.code})` })),
  ];
  const inviteErrors = errorsFor("invite");
  const inviteValues = valuesFor("invite");
  const roleErrors = errorsFor("role");
  const roleValues = valuesFor("role");
  const importErrors = errorsFor("import");
  const inviteFormRef = useRef<HTMLFormElement>(null);
  const importFormRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.ok && result.intent === "invite") inviteFormRef.current?.reset();
    if (result?.ok && result.intent === "import") importFormRef.current?.reset();
  }, [result]);

  return (
    <ConferenceLayout conference={conference} canManage current="people" className="people-page">
      <h2>People</h2>
      <div role="status" className="status-region">
        {result?.ok ? <p className="notice">{result.message}</p> : null}
      </div>
      <ErrorList
        errors={
          failure && failure.values.intent !== "invite" && failure.values.intent !== "import"
            ? [...(failure.errors.form ?? []), ...(failure.errors.userId ?? [])]
            : null
        }
      />

      {removing ? (
        <section className="card confirm-card" aria-labelledby="confirm-remove">
          <h3 id="confirm-remove" ref={confirmHeading} tabIndex={-1}>
            Remove {removing.name}?
          </h3>
          <p>
            {removing.name} ({removing.email}) will lose access to {conference.title} at once: open documents close for them. Their account
            stays; they can be invited again.
          </p>
          <Form method="post" action={path} className="confirm-actions">
            <CsrfInput />
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="userId" value={removing.userId} />
            <button type="submit" className="button danger" disabled={busy}>
              Yes, remove {removing.name}
            </button>
            <Link to={path} className="button">
              Cancel
            </Link>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="participants">
        <h3 id="participants">Participants</h3>
        {members.length === 0 ? (
          <p>Nobody takes part yet. Invite people below or import them from a CSV file.</p>
        ) : (
          <table className="data-table people-table">
            <caption className="visually-hidden">Participants of {conference.title}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Delegation</th>
                <th scope="col">Change role</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const mine = m.userId === currentUserId;
                const rowErrors = roleValues.userId === m.userId ? roleErrors : {};
                return (
                  <tr key={m.userId} data-email={m.email}>
                    <th scope="row">
                      {m.name}
                      {mine ? <span className="you"> (you)</span> : null}
                    </th>
                    <td>{m.email}</td>
                    <td>{roleLabels[m.role]}</td>
                    <td>{m.delegationName ? `${m.delegationName} (${m.delegationCode})` : "—"}</td>
                    <td>
                      {mine ? (
                        <span className="hint">Another member of the secretariat can change your role.</span>
                      ) : (
                        <Form method="post" action={path} className="row-form" key={`${m.role}:${m.delegationId ?? ""}`}>
                          <CsrfInput />
                          <input type="hidden" name="intent" value="role" />
                          <input type="hidden" name="userId" value={m.userId} />
                          <SelectField
                            label={`Role of ${m.name}`}
                            name="role"
                            options={roleOptions}
                            defaultValue={rowErrors.role || rowErrors.delegationId ? roleValues.role : m.role}
                            errors={rowErrors.role}
                          />
                          <SelectField
                            label={`Delegation of ${m.name} (delegates only)`}
                            name="delegationId"
                            options={delegationOptions}
                            defaultValue={rowErrors.role || rowErrors.delegationId ? roleValues.delegationId : m.delegationId ?? ""}
                            errors={rowErrors.delegationId}
                          />
                          <button type="submit" className="button small" disabled={busy}>
                            Save<span className="visually-hidden"> role of {m.name}</span>
                          </button>
                        </Form>
                      )}
                    </td>
                    <td>
                      {mine ? null : (
                        <Link to={`${path}?remove=${m.userId}`} className="button small danger">
                          Remove<span className="visually-hidden"> {m.name}</span>…
                        </Link>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-labelledby="invite">
        <h3 id="invite">Invite a person</h3>
        <p className="hint">
          Creates a one-time link for this e-mail address. Send it to the person yourself; they choose their name and password (or sign in,
          if they have an account).
        </p>
        {result?.ok && result.intent === "invite" ? (
          <div className="created-link">
            <p>
              <strong>{result.message}</strong> The link is valid until {formatUtc(result.invitation.expiresAt)}. It is shown only this
              once: copy it now.
            </p>
            <CopyField label="Invitation link" value={result.invitation.link} />
          </div>
        ) : null}
        <Form method="post" action={path} className="form inline-form" noValidate ref={inviteFormRef}>
          <CsrfInput />
          <input type="hidden" name="intent" value="invite" />
          <ErrorList errors={inviteErrors.form} />
          <Field
            label="E-mail"
            name="email"
            type="email"
            required
            maxLength={254}
            autoComplete="off"
            defaultValue={inviteValues.email}
            errors={inviteErrors.email}
          />
          <SelectField
            label="Role"
            name="role"
            options={roleOptions}
            defaultValue={inviteValues.role ?? "delegate"}
            errors={inviteErrors.role}
          />
          <SelectField
            label="Delegation (delegates only)"
            name="delegationId"
            options={delegationOptions}
            defaultValue={inviteValues.delegationId ?? ""}
            errors={inviteErrors.delegationId}
          />
          <SelectField
            label="Valid for"
            name="days"
            options={invitationDayChoices.map((d) => ({ value: String(d), label: d === 1 ? "1 day" : `${d} days` }))}
            defaultValue={inviteValues.days ?? String(defaultInvitationDays)}
            errors={inviteErrors.days}
          />
          <button type="submit" className="button primary" disabled={busy}>
            Create invitation link
          </button>
        </Form>
      </section>

      <section aria-labelledby="invitations">
        <h3 id="invitations">Invitations</h3>
        {invitations.length === 0 ? (
          <p>No invitations yet.</p>
        ) : (
          <table className="data-table invitations-table">
            <caption className="visually-hidden">Invitations to {conference.title}</caption>
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Valid until</th>
                <th scope="col">
                  <span className="visually-hidden">Revoke</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((i) => (
                <tr key={i.id} data-status={i.status}>
                  <th scope="row">{i.email}</th>
                  <td>
                    {describe(i.role, i.delegationName && i.delegationCode ? { name: i.delegationName, code: i.delegationCode } : null)}
                  </td>
                  <td>
                    <span className={`invitation-status status-${i.status}`}>{statusLabels[i.status]}</span>
                  </td>
                  <td>{i.status === "accepted" && i.acceptedAt ? `Accepted ${formatUtc(i.acceptedAt)}` : formatUtc(i.expiresAt)}</td>
                  <td>
                    {i.status === "pending" ? (
                      <Form method="post" action={path}>
                        <CsrfInput />
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="invitationId" value={i.id} />
                        <button type="submit" className="button small danger" disabled={busy}>
                          Revoke<span className="visually-hidden"> the invitation of {i.email}</span>
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-labelledby="import">
        <h3 id="import">Import from a CSV file</h3>
        <p className="hint">
          A header row naming the columns <code>name</code>, <code>email</code>, <code>delegation</code> and <code>role</code> (secretariat,
          chair, delegate or observer), then one row per person. The delegation, given by its code or name, only for delegates. UTF-8, at
          most 1 MB. People with an account are added at once; everyone else gets an invitation link.
        </p>
        <Form method="post" action={path} encType="multipart/form-data" className="form inline-form" noValidate ref={importFormRef}>
          <CsrfInput />
          <input type="hidden" name="intent" value="import" />
          <Field label="CSV file" name="file" type="file" accept=".csv,text/csv" required errors={importErrors.file} />
          <button type="submit" className="button primary" disabled={busy}>
            Import
          </button>
        </Form>
        {result?.ok && result.intent === "import" ? <ImportReport rows={result.report} /> : null}
      </section>
    </ConferenceLayout>
  );
}

function ImportReport({
  rows,
}: {
  rows: { row: number; name: string; email: string; outcome: ImportOutcome; messages: string[]; link?: string }[];
}) {
  return (
    <table className="data-table import-report">
      <caption>Import report, row by row</caption>
      <thead>
        <tr>
          <th scope="col">Row</th>
          <th scope="col">Name</th>
          <th scope="col">E-mail</th>
          <th scope="col">Result</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.row} data-row={r.row} data-outcome={r.outcome}>
            <th scope="row">{r.row}</th>
            <td>{r.name || "—"}</td>
            <td>{r.email || "—"}</td>
            <td>
              <span className={`outcome outcome-${r.outcome}`}>{outcomeLabels[r.outcome]}</span>
            </td>
            <td>
              <ul className="report-messages">
                {r.messages.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
              {r.link ? <CopyField label={`Invitation link for ${r.email}`} value={r.link} /> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

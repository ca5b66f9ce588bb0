import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import {
  createDelegation,
  findDelegationConflicts,
  listDelegationsWithCounts,
  listGroupMembers,
  nonNegotiatingMayPropose,
  setDelegationKind,
  setGroupMembership,
  setNonNegotiatingMayPropose,
} from "./conferences.$conferenceId.delegations.server";
import { ConferenceLayout } from "~/components/ConferenceLayout";
import { CsrfInput, ErrorList, Field, SelectField } from "~/components/forms";
import { readProtectedForm, requireConferencePermission } from "~/utils/auth.server";
import { invalid, parseForm, type FieldErrors } from "~/utils/forms";
import { answeringRefusals } from "~/utils/refusals.server";
import { delegationKindLabels } from "~/statement/people-labels";
import { type DelegationKind, delegationKinds } from "~/statement/vocabulary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Delegations · ${data.conference.title} · Concord` : "Concord" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { conference } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  const [delegations, groups, mayPropose] = await Promise.all([
    listDelegationsWithCounts(context.sql, conference.id),
    listGroupMembers(context.sql, conference.id),
    nonNegotiatingMayPropose(context.sql, conference.id),
  ]);
  return { conference, delegations: delegations.map((d) => ({ ...d, memberIds: groups.get(d.id) ?? [] })), mayPropose };
}

const createSchema = z.object({
  name: z
    .string({ error: "Give the delegation's name." })
    .trim()
    .min(1, "Give the delegation's name.")
    .max(120, "Keep the name under 120 characters."),
  code: z
    .string({ error: "Give a short code, e.g. JPN or G77." })
    .trim()
    .toUpperCase()
    .min(2, "The code has 2 to 12 characters.")
    .max(12, "The code has 2 to 12 characters.")
    .regex(/^[A-Z0-9-]+$/, "Use only letters A–Z, digits and hyphens in the code."),
  kind: z.enum(delegationKinds as [DelegationKind, ...DelegationKind[]], { error: "Choose what kind of delegation this is." }),
});
const delegationId = z.string({ error: "Choose a delegation." }).trim().min(1, "Choose a delegation.").max(100);
const kindSchema = z.object({
  delegationId,
  kind: z.enum(delegationKinds as [DelegationKind, ...DelegationKind[]], { error: "Choose what kind of delegation this is." }),
});
const membersSchema = z.object({ delegationId });
const settingSchema = z.object({ mayPropose: z.enum(["yes", "no"], { error: "Choose whether they may propose." }) });

const isUniqueViolation = (err: unknown): err is { code: string; constraint_name?: string } =>
  (err as { code?: string } | null)?.code === "23505";

/**
 * The secretariat adds a delegation (a code or name already in use is an error next to its
 * field), changes a delegation's kind, sets a group's members, and decides whether delegations
 * that do not negotiate may propose.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { conference, user } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  const form = await readProtectedForm(request, context, user);
  const intentField = form.get("intent");
  const intent = typeof intentField === "string" ? intentField : "add";
  const sql = context.sql;
  // A refusal is shown above the table, not next to the fields of the form that adds a delegation.
  const refused = (failure: { errors: FieldErrors }, status: number) => invalid({ ...failure, values: { intent } }, status);
  if (intent === "kind") {
    const parsed = parseForm(form, kindSchema);
    if (!parsed.ok) return invalid(parsed);
    return answeringRefusals(refused, async () => {
      const { delegationId, kind } = parsed.data;
      const { changed } = await setDelegationKind(sql, { conferenceId: conference.id, actorId: user.id, delegationId, kind });
      const label = delegationKindLabels[kind];
      return { ok: true as const, message: changed ? `Kind changed to ${label}.` : `The kind was ${label} already; nothing changed.` };
    });
  }
  if (intent === "members") {
    const parsed = parseForm(form, membersSchema);
    if (!parsed.ok) return invalid(parsed);
    const members = form.getAll("members").map(String);
    return answeringRefusals(refused, async () => {
      const groupId = parsed.data.delegationId;
      const { changed } = await setGroupMembership(sql, { conferenceId: conference.id, actorId: user.id, groupId, memberIds: members });
      return {
        ok: true as const,
        message: changed
          ? `The group's members are saved (${new Set(members).size}).`
          : "The group had these members already; nothing changed.",
      };
    });
  }
  if (intent === "setting") {
    const parsed = parseForm(form, settingSchema);
    if (!parsed.ok) return invalid(parsed);
    const allowed = parsed.data.mayPropose === "yes";
    const { changed } = await setNonNegotiatingMayPropose(sql, { conferenceId: conference.id, actorId: user.id, allowed });
    const setting = allowed ? "Delegations that do not negotiate may propose" : "Only delegations that negotiate may propose";
    return { ok: true as const, message: changed ? `${setting} now.` : `${setting} already; nothing changed.` };
  }
  if (intent !== "add") return invalid({ errors: { form: ["Choose what to do."] } });
  const parsed = parseForm(form, createSchema);
  if (!parsed.ok) return invalid(parsed);
  const { name, code, kind } = parsed.data;
  const values = { name, code, kind };
  const duplicateErrors = (conflicts: { code: unknown; name: unknown }): FieldErrors => ({
    ...(conflicts.code ? { code: [`Another delegation already has the code ${code}.`] } : {}),
    ...(conflicts.name ? { name: [`A delegation named “${name}” exists already.`] } : {}),
  });
  const conflicts = await findDelegationConflicts(context.sql, conference.id, { name, code });
  if (conflicts.code || conflicts.name) return invalid({ errors: duplicateErrors(conflicts), values });
  try {
    const delegation = await createDelegation(context.sql, { conferenceId: conference.id, name, code, kind });
    return { ok: true as const, message: `Delegation ${delegation.name} (${delegation.code}) added.` };
  } catch (err) {
    // Added by someone else between the check and the insert.
    if (isUniqueViolation(err)) {
      const byName = err.constraint_name === "delegations_name_idx";
      return invalid({ errors: duplicateErrors({ code: !byName, name: byName }), values });
    }
    throw err;
  }
}

const kindOptions = delegationKinds.map((k) => ({ value: k, label: delegationKindLabels[k] }));

export default function DelegationsPage() {
  const { conference, delegations, mayPropose } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const values: Record<string, string> = result && !result.ok ? result.values : {};
  const adding = !values.intent || values.intent === "add";
  const addErrors = adding ? errors : {};
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.ok) formRef.current?.reset();
  }, [result]);
  const byId = new Map(delegations.map((d) => [d.id, d]));
  const groupsOf = (id: string) => delegations.filter((g) => g.memberIds.includes(id));
  const candidates = delegations.filter((d) => d.kind !== "group");
  return (
    <ConferenceLayout conference={conference} canManage current="delegations">
      <h2>Delegations</h2>
      <div role="status" className="status-region">
        {result?.ok ? <p className="notice">{result.message}</p> : null}
      </div>
      {!adding ? <ErrorList errors={Object.values(errors).flatMap((e) => e ?? [])} /> : null}
      <p className="help">
        Member States, regional integration organisations and groups negotiate: they propose, signal, count toward consensus and may break
        silence. Observer States, UN entities, intergovernmental and non-governmental organisations comment, and propose only if allowed
        below.
      </p>
      {delegations.length === 0 ? (
        <p>No delegations yet. Add them below, or import people with their delegations on the People page once the delegations exist.</p>
      ) : (
        <table className="data-table delegations-table">
          <caption className="visually-hidden">Delegations of {conference.title}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Code</th>
              <th scope="col">Kind</th>
              <th scope="col">Group members / groups</th>
              <th scope="col">Delegates</th>
            </tr>
          </thead>
          <tbody>
            {delegations.map((d) => (
              <tr key={d.id} data-delegation={d.code}>
                <th scope="row">{d.name}</th>
                <td>
                  <code>{d.code}</code>
                </td>
                <td>
                  <Form method="post" className="inline-form compact-form">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="kind" />
                    <input type="hidden" name="delegationId" value={d.id} />
                    <label className="visually-hidden" htmlFor={`kind-${d.id}`}>
                      Kind of {d.name}
                    </label>
                    <select id={`kind-${d.id}`} name="kind" defaultValue={d.kind} key={d.kind}>
                      {kindOptions.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className="button small" disabled={busy}>
                      Change kind
                    </button>
                  </Form>
                </td>
                <td>
                  {d.kind === "group" ? (
                    <details>
                      <summary>
                        {d.memberIds.length === 0 ? "No members" : d.memberIds.map((id) => byId.get(id)?.code ?? "").join(", ")}
                      </summary>
                      <Form method="post" className="group-members-form">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="members" />
                        <input type="hidden" name="delegationId" value={d.id} />
                        <fieldset>
                          <legend>Members of {d.name}</legend>
                          {candidates.map((c) => (
                            <label key={c.id} className="checkbox">
                              <input type="checkbox" name="members" value={c.id} defaultChecked={d.memberIds.includes(c.id)} /> {c.name} (
                              {c.code})
                            </label>
                          ))}
                        </fieldset>
                        <button type="submit" className="button small" disabled={busy}>
                          Save members
                        </button>
                      </Form>
                    </details>
                  ) : (
                    groupsOf(d.id)
                      .map((g) => `Member of ${g.code}`)
                      .join(", ") || <span className="muted">—</span>
                  )}
                </td>
                <td>{d.delegateCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section className="card" aria-labelledby="may-propose-heading">
        <h3 id="may-propose-heading">Proposals by delegations that do not negotiate</h3>
        <Form method="post" className="form inline-form">
          <CsrfInput />
          <input type="hidden" name="intent" value="setting" />
          <SelectField
            label="Observer States, UN entities and other organisations"
            name="mayPropose"
            key={String(mayPropose)}
            defaultValue={mayPropose ? "yes" : "no"}
            options={[
              { value: "no", label: "Comment only (do not propose)" },
              { value: "yes", label: "May propose and co-sponsor" },
            ]}
          />
          <button type="submit" className="button" disabled={busy}>
            Save
          </button>
        </Form>
      </section>
      <section className="card" aria-labelledby="new-delegation">
        <h3 id="new-delegation">Add a delegation</h3>
        <Form method="post" className="form inline-form" noValidate ref={formRef}>
          <CsrfInput />
          <input type="hidden" name="intent" value="add" />
          <ErrorList errors={addErrors.form} />
          <Field label="Name" name="name" required maxLength={120} defaultValue={values.name} errors={addErrors.name} />
          <Field
            label="Code"
            name="code"
            required
            minLength={2}
            maxLength={12}
            pattern="[A-Za-z0-9\-]{2,12}"
            hint="2–12 letters, digits or hyphens, e.g. JPN, G77"
            defaultValue={values.code}
            errors={addErrors.code}
            className="code-input"
          />
          <SelectField
            label="Kind"
            name="kind"
            options={kindOptions}
            defaultValue={values.kind ?? "member_state"}
            errors={addErrors.kind}
          />
          <button type="submit" className="button primary" disabled={busy}>
            Add delegation
          </button>
        </Form>
      </section>
    </ConferenceLayout>
  );
}

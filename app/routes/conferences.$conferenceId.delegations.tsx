import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { createDelegation, findDelegationConflicts, listDelegationsWithCounts } from "./conferences.$conferenceId.delegations.server";
import { ConferenceLayout } from "~/components/ConferenceLayout";
import { CsrfInput, ErrorList, Field, SelectField } from "~/components/forms";
import { readProtectedForm, requireConferencePermission } from "~/utils/auth.server";
import { invalid, parseForm, type FieldErrors } from "~/utils/forms";
import { delegationKindLabels } from "~/statement/people-labels";
import { type DelegationKind, delegationKinds } from "~/statement/vocabulary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Delegations · ${data.conference.title} · Concord` : "Concord" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { conference } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  return { conference, delegations: await listDelegationsWithCounts(context.sql, conference.id) };
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

const isUniqueViolation = (err: unknown): err is { code: string; constraint_name?: string } =>
  (err as { code?: string } | null)?.code === "23505";

/** The secretariat adds a delegation; a code or name already in use is an error next to its field. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { conference, user } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  const form = await readProtectedForm(request, context, user);
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
    return { ok: true as const, created: { name: delegation.name, code: delegation.code } };
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
  const { conference, delegations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const values: Record<string, string> = result && !result.ok ? result.values : {};
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.ok) formRef.current?.reset();
  }, [result]);
  return (
    <ConferenceLayout conference={conference} canManage current="delegations">
      <h2>Delegations</h2>
      <div role="status" className="status-region">
        {result?.ok ? <p className="notice">{`Delegation ${result.created.name} (${result.created.code}) added.`}</p> : null}
      </div>
      {delegations.length === 0 ? (
        <p>No delegations yet. Add them below, or import people with their delegations on the People page once the delegations exist.</p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">Delegations of {conference.title}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Code</th>
              <th scope="col">Kind</th>
              <th scope="col">Delegates</th>
            </tr>
          </thead>
          <tbody>
            {delegations.map((d) => (
              <tr key={d.id}>
                <th scope="row">{d.name}</th>
                <td>
                  <code>{d.code}</code>
                </td>
                <td>{delegationKindLabels[d.kind]}</td>
                <td>{d.delegateCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section className="card" aria-labelledby="new-delegation">
        <h3 id="new-delegation">Add a delegation</h3>
        <Form method="post" className="form inline-form" noValidate ref={formRef}>
          <CsrfInput />
          <ErrorList errors={errors.form} />
          <Field label="Name" name="name" required maxLength={120} defaultValue={values.name} errors={errors.name} />
          <Field
            label="Code"
            name="code"
            required
            minLength={2}
            maxLength={12}
            pattern="[A-Za-z0-9\-]{2,12}"
            hint="2–12 letters, digits or hyphens, e.g. JPN, G77"
            defaultValue={values.code}
            errors={errors.code}
            className="code-input"
          />
          <SelectField label="Kind" name="kind" options={kindOptions} defaultValue={values.kind ?? "state"} errors={errors.kind} />
          <button type="submit" className="button primary" disabled={busy}>
            Add delegation
          </button>
        </Form>
      </section>
    </ConferenceLayout>
  );
}

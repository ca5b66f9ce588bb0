import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import {
  assignRole,
  availableSlug,
  createConference,
  createStatement,
  findConference,
  findMembership,
  findUserByEmail,
  issueInvitation,
  listConferencesWithSecretariat,
  slugify,
  zeroDraftName,
} from "./admin.server";
import { emptyStatement } from "~/statement/empty-statement";
import { maxTitleLength } from "~/statement/limits";
import { AppHeader } from "~/components/AppHeader";
import { CopyField } from "~/components/CopyField";
import { CsrfInput, ErrorList, Field } from "~/components/forms";
import { readProtectedForm, requireAdmin } from "~/utils/auth.server";
import { formatUtc } from "~/utils/dates";
import { invalid, parseForm, type FieldErrors } from "~/utils/forms";
import { publicOrigin } from "~/utils/public-origin.server";

export const meta: MetaFunction = () => [{ title: "Administration · Concord" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  return { conferences: await listConferencesWithSecretariat(context.sql) };
}

const createSchema = z.object({
  title: z
    .string({ error: "Give the conference a title." })
    .trim()
    .min(1, "Give the conference a title.")
    .max(maxTitleLength, `Keep the title under ${maxTitleLength} characters.`),
  subtitle: z.string().trim().max(300, "Keep the subtitle under 300 characters.").default(""),
  venue: z.string().trim().max(200, "Keep the venue under 200 characters.").default(""),
});

const appointSchema = z.object({
  conferenceId: z.string({ error: "Choose a conference." }).min(1, "Choose a conference.").max(100),
  email: z
    .string({ error: "Enter the e-mail address of the secretariat." })
    .trim()
    .max(254, "That e-mail address is too long.")
    .email("Enter a valid e-mail address."),
});

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === "23505";

/** The deployment administrator creates conferences and appoints their secretariat. */
export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, context);
  const form = await readProtectedForm(request, context, admin);
  const intent = form.get("intent");
  const sql = context.sql;

  if (intent === "create") {
    const parsed = parseForm(form, createSchema);
    if (!parsed.ok) return invalid(parsed);
    const { title, subtitle, venue } = parsed.data;
    // The slug is derived from the title and made unique; a conference created at the same moment with the same slug makes us try the next one.
    for (let attempt = 0; ; attempt++) {
      try {
        const conference = await sql.begin(async (tx) => {
          const slug = await availableSlug(tx, slugify(title));
          const c = await createConference(tx, { slug, title, subtitle, venue });
          const statement = "Joint Statement";
          await createStatement(tx, {
            conferenceId: c.id,
            title: statement,
            content: emptyStatement(statement),
            versionName: zeroDraftName,
            createdBy: admin.id,
          });
          return c;
        });
        return {
          ok: true as const,
          intent: "create" as const,
          message: `Conference “${conference.title}” created (${conference.slug}). Appoint its secretariat below.`,
        };
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 4) throw err;
      }
    }
  }

  if (intent === "appoint") {
    const parsed = parseForm(form, appointSchema);
    if (!parsed.ok) return invalid(parsed);
    const { conferenceId, email } = parsed.data;
    const values = { intent, conferenceId, email };
    const conference = await findConference(sql, conferenceId);
    if (!conference) return invalid({ errors: { conferenceId: ["There is no such conference."] }, values });
    const account = await findUserByEmail(sql, email);
    if (account) {
      const before = await findMembership(sql, conference.id, account.id);
      const change = await assignRole(sql, {
        conferenceId: conference.id,
        userId: account.id,
        role: "secretariat",
        delegationId: null,
        language: null,
        actorId: null,
        recordedActorId: admin.id,
      });
      if (!change.ok) return invalid({ errors: { email: [change.error] }, values });
      return {
        ok: true as const,
        intent: "appoint" as const,
        message:
          before?.role === "secretariat"
            ? `${account.name} (${account.email}) is already secretariat of ${conference.title}.`
            : `${account.name} (${account.email}) is now secretariat of ${conference.title}.`,
        invitation: null,
      };
    }
    const invitation = await issueInvitation(sql, {
      conferenceId: conference.id,
      email,
      role: "secretariat",
      delegationId: null,
      language: null,
      createdBy: admin.id,
      origin: publicOrigin(request, context),
    });
    return {
      ok: true as const,
      intent: "appoint" as const,
      message: `No account uses ${email} yet: an invitation to be secretariat of ${conference.title} was created.`,
      invitation: { email, link: invitation.link, expiresAt: invitation.expiresAt.toISOString() },
    };
  }

  return invalid({ errors: { form: ["Unknown action."] } });
}

export default function AdminPage() {
  const { conferences } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failure = result && !result.ok ? result : null;
  const createErrors: FieldErrors = failure?.values.intent === "create" ? failure.errors : {};
  const createValues: Record<string, string> = failure?.values.intent === "create" ? failure.values : {};
  const createRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.ok && result.intent === "create") createRef.current?.reset();
  }, [result]);

  return (
    <div className="page">
      <AppHeader>
        <h1 className="document-title">Administration</h1>
      </AppHeader>
      <main id="main" className="content admin-page">
        <div role="status" className="status-region">
          {result?.ok ? <p className="notice">{result.message}</p> : null}
        </div>
        <ErrorList
          errors={
            failure && failure.values.intent !== "create" ? [...(failure.errors.form ?? []), ...(failure.errors.conferenceId ?? [])] : null
          }
        />
        {result?.ok && result.intent === "appoint" && result.invitation ? (
          <section className="card created-link" aria-labelledby="secretariat-link">
            <h2 id="secretariat-link">Invitation link for {result.invitation.email}</h2>
            <p>Valid until {formatUtc(result.invitation.expiresAt)}. It is shown only this once: copy it now and send it.</p>
            <CopyField label="Invitation link" value={result.invitation.link} />
          </section>
        ) : null}

        <h2>Conferences</h2>
        {conferences.length === 0 ? (
          <p>No conferences yet. Create the first one below.</p>
        ) : (
          <table className="data-table admin-conferences">
            <caption className="visually-hidden">Conferences of this deployment</caption>
            <thead>
              <tr>
                <th scope="col">Conference</th>
                <th scope="col">Secretariat</th>
                <th scope="col">Participants</th>
                <th scope="col">Appoint secretariat</th>
              </tr>
            </thead>
            <tbody>
              {conferences.map((c) => {
                const errors: FieldErrors =
                  failure?.values.intent === "appoint" && failure.values.conferenceId === c.id ? failure.errors : {};
                const values: Record<string, string> =
                  failure?.values.intent === "appoint" && failure.values.conferenceId === c.id ? failure.values : {};
                return (
                  <tr key={c.id} data-slug={c.slug}>
                    <th scope="row">
                      <Link to={`/conferences/${c.id}`}>{c.title}</Link>
                      <span className="admin-meta">
                        {[c.subtitle, c.venue].filter(Boolean).join(" · ")}
                        {c.subtitle || c.venue ? " · " : ""}
                        <code>{c.slug}</code>
                      </span>
                    </th>
                    <td>{c.secretariat.length ? c.secretariat.join(", ") : <em>None yet</em>}</td>
                    <td>{c.memberCount}</td>
                    <td>
                      <Form method="post" className="row-form" noValidate>
                        <CsrfInput />
                        <input type="hidden" name="intent" value="appoint" />
                        <input type="hidden" name="conferenceId" value={c.id} />
                        <Field
                          label={`Secretariat e-mail for ${c.title}`}
                          name="email"
                          type="email"
                          required
                          autoComplete="off"
                          defaultValue={values.email}
                          errors={errors.email}
                        />
                        <button type="submit" className="button small" disabled={busy}>
                          Appoint<span className="visually-hidden"> secretariat of {c.title}</span>
                        </button>
                      </Form>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}

        <section className="card" aria-labelledby="new-conference">
          <h2 id="new-conference">New conference</h2>
          <Form method="post" className="form" noValidate ref={createRef}>
            <CsrfInput />
            <input type="hidden" name="intent" value="create" />
            <Field
              label="Title"
              name="title"
              required
              maxLength={maxTitleLength}
              defaultValue={createValues.title}
              errors={createErrors.title}
            />
            <Field label="Subtitle" name="subtitle" maxLength={300} defaultValue={createValues.subtitle} errors={createErrors.subtitle} />
            <Field
              label="Venue"
              name="venue"
              maxLength={200}
              hint="City and country, e.g. Baku, Azerbaijan"
              defaultValue={createValues.venue}
              errors={createErrors.venue}
            />
            <button type="submit" className="button primary" disabled={busy}>
              Create conference
            </button>
          </Form>
        </section>
      </main>
    </div>
  );
}

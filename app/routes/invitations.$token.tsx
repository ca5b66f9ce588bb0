import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams } from "@remix-run/react";
import { z } from "zod";
import type { AcceptResult } from "../../server/people/invitations";
import { acceptInvitation, findInvitationByToken, findUserByEmail, hashPassword, passwordSignInOff } from "./invitations.$token.server";
import { CsrfInput, ErrorList, Field } from "~/components/forms";
import { SignOnLink } from "~/auth/SignOnLink";
import { getUser, readProtectedForm, requireUser } from "~/utils/auth.server";
import { formatUtc } from "~/utils/dates";
import { invalid, parseForm, type FieldErrors } from "~/utils/forms";
import { describeRole } from "~/statement/people-labels";
import type { InvitationStatus, Role } from "~/statement/vocabulary";
import { NewPasswordFields, newPasswordFields, typedTwice } from "~/components/NewPassword";

export const meta: MetaFunction = () => [{ title: "Invitation · Concord" }];

type Gone = Exclude<InvitationStatus, "pending"> | "unknown";

const goneStatus = (gone: Gone) => (gone === "unknown" ? 404 : 410);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const invitation = await findInvitationByToken(context.sql, params.token ?? "");
  if (!invitation || invitation.status !== "pending") {
    const gone: Gone = invitation ? (invitation.status as Gone) : "unknown";
    return data({ gone, invitation: null, hasAccount: false, viewer: null, sso: null, passwordSignIn: true }, { status: goneStatus(gone) });
  }
  const [viewer, account] = await Promise.all([getUser(request, context), findUserByEmail(context.sql, invitation.email)]);
  return {
    gone: null,
    invitation: {
      email: invitation.email,
      role: invitation.role,
      language: invitation.language,
      delegation: invitation.delegationName ? `${invitation.delegationName} (${invitation.delegationCode})` : null,
      conferenceTitle: invitation.conferenceTitle,
      conferenceSubtitle: invitation.conferenceSubtitle,
      conferenceVenue: invitation.conferenceVenue,
      expiresAt: invitation.expiresAt.toISOString(),
    },
    hasAccount: account !== null,
    viewer: viewer
      ? { name: viewer.name, email: viewer.email, isInvitee: viewer.email.toLowerCase() === invitation.email.toLowerCase() }
      : null,
    sso: context.sso ? { name: context.sso.name } : null,
    passwordSignIn: context.config.PASSWORD_SIGN_IN,
  };
}

const signUpSchema = typedTwice(
  z.object({
    name: z
      .string({ error: "Enter your name as others will see it." })
      .trim()
      .min(1, "Enter your name as others will see it.")
      .max(100, "Keep your name under 100 characters."),
    ...newPasswordFields,
  }),
);

const signInSchema = z.object({
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(1000, "That password is too long."),
});

const goneAnswer = (gone: Gone) => data({ ok: false as const, gone, errors: {}, values: {} }, { status: goneStatus(gone) });

/** Turns the outcome of an acceptance into the answer: into the conference (signed in), or why not. */
async function answer(
  result: AcceptResult,
  sessionCookie: (userId: string) => Promise<string | null>,
  values: Record<string, string> = {},
) {
  if (result.ok) {
    const cookie = await sessionCookie(result.userId);
    throw redirect(`/conferences/${result.conferenceId}`, cookie ? { headers: { "Set-Cookie": cookie } } : undefined);
  }
  if (result.gone) return goneAnswer(result.gone);
  return invalid({ errors: { [result.field]: [result.error] }, values });
}

/**
 * Uses the invitation: with a new account (name and password chosen here), by signing in to the
 * existing account of its e-mail address, or, already signed in as that person, at one click.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const url = new URL(request.url);
  const intent = url.searchParams.get("intent");

  if (intent === "accept") {
    const user = await requireUser(request, context);
    await readProtectedForm(request, context, user);
    const result = await acceptInvitation(context.sql, token, { kind: "existing", userId: user.id, email: user.email });
    return answer(result, async () => null);
  }

  const form = await request.formData().catch(() => null);
  if (!form) return invalid({ errors: { form: ["The form could not be read."] } });
  const invitation = await findInvitationByToken(context.sql, token);
  if (!invitation || invitation.status !== "pending") return goneAnswer(invitation ? (invitation.status as Gone) : "unknown");

  if (intent === "signin") {
    const parsed = parseForm(form, signInSchema);
    if (!parsed.ok) return invalid(parsed);
    const signIn = await context.auth.signIn(invitation.email, parsed.data.password, context.clientAddress);
    if (!signIn.ok) return invalid({ errors: { password: [signIn.error] } }, signIn.switchedOff ? 403 : 400);
    const result = await acceptInvitation(context.sql, token, { kind: "existing", userId: signIn.user.id, email: signIn.user.email });
    return answer(result, async () => signIn.setCookie);
  }

  // Without password sign-in, a new account comes from the organisation's sign-in, which accepts the invitation.
  if (!context.config.PASSWORD_SIGN_IN) return invalid({ errors: { form: [passwordSignInOff] } }, 403);
  const parsed = parseForm(form, signUpSchema);
  if (!parsed.ok) return invalid(parsed);
  // Hashing is slow by design; it is done before the invitation is locked, to keep the lock short.
  const passwordHash = await hashPassword(parsed.data.password);
  const result = await acceptInvitation(context.sql, token, { kind: "new", name: parsed.data.name, passwordHash });
  return answer(result, (userId) => context.auth.startSession(userId), { name: parsed.data.name });
}

const goneMessages: Record<Gone, { title: string; text: string }> = {
  unknown: {
    title: "This invitation link is not valid",
    text: "Check that you copied the whole link. If it still does not work, ask the conference secretariat for a new one.",
  },
  accepted: {
    title: "This invitation has been used",
    text: "An invitation link works only once. If you accepted it, sign in with your e-mail address and password.",
  },
  expired: { title: "This invitation has expired", text: "Ask the conference secretariat for a new invitation link." },
  revoked: {
    title: "This invitation was withdrawn",
    text: "The conference secretariat revoked this link. Ask them for a new one if you should take part.",
  },
};

export default function InvitationPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const gone: Gone | null = (result && "gone" in result ? result.gone : null) ?? loaded.gone;
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const values: Record<string, string> = result && !result.ok ? result.values : {};
  const token = useParams().token ?? "";

  return (
    <div className="page">
      <header className="masthead">
        <Link to="/" className="brand">
          Concord
        </Link>
      </header>
      <main id="main" className="narrow invitation-page">
        {gone || !loaded.invitation ? (
          <div className="card" role="alert">
            <h1>{goneMessages[gone ?? "unknown"].title}</h1>
            <p>{goneMessages[gone ?? "unknown"].text}</p>
            <p>
              <Link to="/login">Sign in</Link>
            </p>
          </div>
        ) : (
          <Invitation loaded={{ ...loaded, invitation: loaded.invitation }} token={token} errors={errors} values={values} busy={busy} />
        )}
      </main>
    </div>
  );
}

interface Loaded {
  invitation: {
    email: string;
    role: Role;
    language: string | null;
    delegation: string | null;
    conferenceTitle: string;
    conferenceSubtitle: string;
    conferenceVenue: string;
    expiresAt: string;
  };
  hasAccount: boolean;
  viewer: { name: string; email: string; isInvitee: boolean } | null;
  sso: { name: string } | null;
  passwordSignIn: boolean;
}

function Invitation({
  loaded,
  token,
  errors,
  values,
  busy,
}: {
  loaded: Loaded;
  token: string;
  errors: FieldErrors;
  values: Record<string, string>;
  busy: boolean;
}) {
  const { invitation, hasAccount, viewer, sso, passwordSignIn } = loaded;
  // Signing in with the organisation accepts the invitation of a new account at once; an existing
  // account comes back here, signed in, to accept it.
  const signOn = sso ? (
    <SignOnLink name={sso.name} returnTo={`/invitations/${token}`} primary={!passwordSignIn} label={`Sign in with ${sso.name} to accept`} />
  ) : null;
  return (
    <>
      <h1>You are invited</h1>
      <div className="card invitation-summary">
        <p className="invitation-conference">
          <strong>{invitation.conferenceTitle}</strong>
          {invitation.conferenceSubtitle ? <span className="subtitle"> {invitation.conferenceSubtitle}</span> : null}
        </p>
        {invitation.conferenceVenue ? <p className="venue">{invitation.conferenceVenue}</p> : null}
        <dl className="facts">
          <dt>Role</dt>
          <dd>{describeRole(invitation.role, null, invitation.language)}</dd>
          {invitation.delegation ? (
            <>
              <dt>Delegation</dt>
              <dd>{invitation.delegation}</dd>
            </>
          ) : null}
          <dt>E-mail</dt>
          <dd>{invitation.email}</dd>
          <dt>Valid until</dt>
          <dd>{formatUtc(invitation.expiresAt)}</dd>
        </dl>
      </div>

      {viewer && !viewer.isInvitee ? (
        <p className="notice">
          You are signed in as {viewer.name} ({viewer.email}), but this invitation is for {invitation.email}. Continuing below signs you in
          as {invitation.email}.
        </p>
      ) : null}

      {viewer?.isInvitee ? (
        <Form method="post" action="?intent=accept" className="card form">
          <CsrfInput />
          <ErrorList errors={errors.form} />
          <p>You are signed in as {viewer.name}.</p>
          <button type="submit" className="button primary" disabled={busy}>
            Accept the invitation
          </button>
        </Form>
      ) : !passwordSignIn ? (
        <div className="card form">
          <ErrorList errors={errors.form ?? errors.password} />
          <p>Sign in with your organisation&apos;s account for {invitation.email} to join the conference.</p>
          {signOn}
        </div>
      ) : hasAccount ? (
        <Form method="post" action="?intent=signin" className="card form" noValidate>
          <h2>Sign in to accept</h2>
          <p>An account for {invitation.email} exists. Enter its password to join the conference.</p>
          <ErrorList errors={errors.form} />
          <Field label="E-mail" name="email" type="email" autoComplete="username" value={invitation.email} readOnly />
          <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.password} />
          <button type="submit" className="button primary" disabled={busy}>
            Sign in and accept
          </button>
        </Form>
      ) : (
        <Form method="post" action="?intent=signup" className="card form" noValidate>
          <h2>Create your account</h2>
          <ErrorList errors={errors.form} />
          <Field label="E-mail" name="email" type="email" autoComplete="username" value={invitation.email} readOnly />
          <Field
            label="Your name"
            name="name"
            autoComplete="name"
            required
            maxLength={100}
            hint="As the other participants will see it."
            defaultValue={values.name}
            errors={errors.name}
          />
          <NewPasswordFields label="Password" errors={errors} />
          <button type="submit" className="button primary" disabled={busy}>
            Create account and join
          </button>
        </Form>
      )}
      {passwordSignIn && !viewer?.isInvitee ? signOn : null}
    </>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requirePasswordSignIn } from "~/utils/auth.server";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { mailing, requestPasswordReset, resetLinkMinutes } from "./forgot-password.server";
import { ErrorList, Field } from "~/components/forms";
import { invalid, parseForm, type FieldErrors } from "~/utils/forms";
import { publicOrigin } from "~/utils/public-origin.server";
import { SignedOutPage } from "~/components/SignedOutPage";
import { retryAfterHeaders } from "~/utils/retry-after";

export const meta: MetaFunction = () => [{ title: "Forgot your password? · Concord" }];

export const headers = retryAfterHeaders;

const schema = z.object({
  email: z
    .string({ error: "Enter your e-mail address." })
    .trim()
    .max(254, "That e-mail address is too long.")
    .email("Enter a valid e-mail address."),
});

/** Whether this deployment sends mail: without it, the page says whom to ask for a link instead. */
export async function loader({ context }: LoaderFunctionArgs) {
  requirePasswordSignIn(context);
  return { mailing: mailing() };
}

/** The answer never says whether the address has an account: the same sentence either way. */
export async function action({ request, context }: ActionFunctionArgs) {
  requirePasswordSignIn(context);
  const form = await request.formData().catch(() => null);
  if (!form) return invalid({ errors: { form: ["The form could not be read."] } });
  const parsed = parseForm(form, schema);
  if (!parsed.ok) return invalid(parsed);
  const { email } = parsed.data;
  const result = await requestPasswordReset(context.sql, {
    email,
    clientAddress: context.clientAddress,
    origin: publicOrigin(request, context),
  });
  if (!result.ok) {
    const seconds = Math.ceil(result.retryAfterMs / 1000);
    const errors: FieldErrors = { form: [`Too many requests. Try again in ${seconds} seconds.`] };
    return data({ ok: false as const, errors, values: { email } }, { status: 429, headers: { "Retry-After": String(seconds) } });
  }
  return { ok: true as const, email };
}

export default function ForgotPassword() {
  const { mailing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.errors : {};
  return (
    <SignedOutPage>
      <h1>Forgot your password?</h1>
      {!mailing ? (
        <p>
          This Concord does not send e-mail. Ask your conference secretariat for a link to choose a new password: they can make one on their
          people page.
        </p>
      ) : result?.ok ? (
        <div role="status">
          <p>
            If an account exists for {result.email}, we have sent it a link to choose a new password. The link works once, for{" "}
            {resetLinkMinutes} minutes.
          </p>
        </div>
      ) : (
        <Form method="post" className="card form" noValidate>
          <p>Enter the e-mail address you sign in with: we will send a link to choose a new password.</p>
          <ErrorList errors={errors.form} />
          <Field
            label="E-mail"
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={result && !result.ok ? result.values?.email : undefined}
            errors={errors.email}
          />
          <button type="submit" className="button primary" disabled={busy}>
            Send the link
          </button>
        </Form>
      )}
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </SignedOutPage>
  );
}

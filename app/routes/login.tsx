import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Field, ErrorList } from "~/components/forms";
import { invalid, parseForm, type FieldErrors } from "~/utils/forms";
import { getUser } from "~/utils/auth.server";
import { safeRedirect } from "~/utils/redirect";
import { SignOnLink } from "~/auth/SignOnLink";
import { SignedOutPage } from "~/components/SignedOutPage";
import { retryAfterHeaders } from "~/utils/retry-after";

export const meta: MetaFunction = () => [{ title: "Sign in · Concord" }];

export const headers = retryAfterHeaders;

const schema = z.object({
  email: z.string({ error: "Enter your e-mail address." }).trim().email("Enter a valid e-mail address."),
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(1000, "That password is too long."),
  redirectTo: z.string().optional(),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  if (user) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo"), request.url));
  return { sso: context.sso ? { name: context.sso.name } : null, passwordSignIn: context.config.PASSWORD_SIGN_IN };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData().catch(() => null);
  if (!form) return invalid({ errors: { form: ["The form could not be read."] } });
  const parsed = parseForm(form, schema);
  if (!parsed.ok) return invalid(parsed);
  const result = await context.auth.signIn(parsed.data.email, parsed.data.password, context.clientAddress);
  if (!result.ok) {
    const errors: FieldErrors = { form: [result.error] };
    return data(
      { ok: false as const, errors, values: { email: parsed.data.email } },
      {
        status: result.retryAfterMs ? 429 : result.switchedOff ? 403 : 400,
        headers: result.retryAfterMs ? { "Retry-After": String(Math.ceil(result.retryAfterMs / 1000)) } : {},
      },
    );
  }
  throw redirect(safeRedirect(parsed.data.redirectTo, request.url), { headers: { "Set-Cookie": result.setCookie } });
}

export default function Login() {
  const { sso, passwordSignIn } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.errors : {};
  const redirectTo = params.get("redirectTo") ?? "/";
  return (
    <SignedOutPage>
      <h1>Sign in</h1>
      {sso ? <SignOnLink name={sso.name} returnTo={redirectTo} primary={!passwordSignIn} /> : null}
      {passwordSignIn ? (
        <Form method="post" className="card form" noValidate>
          <ErrorList errors={errors.form} />
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <Field
            label="E-mail"
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={result?.values?.email}
            errors={errors.email}
          />
          <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.password} />
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </Form>
      ) : (
        <ErrorList errors={errors.form} />
      )}
      {passwordSignIn ? (
        <p>
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
      ) : null}
    </SignedOutPage>
  );
}

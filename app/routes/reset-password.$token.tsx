import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { requirePasswordSignIn } from "~/utils/auth.server";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { hashPassword, resetLinkUsable, resetPassword } from "./forgot-password.server";
import { ErrorList } from "~/components/forms";
import { invalid, parseForm } from "~/utils/forms";
import { SignedOutPage } from "~/components/SignedOutPage";
import { NewPasswordFields, newPasswordFields, typedTwice } from "~/components/NewPassword";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Concord" }];

/** The same rules as choosing a password when accepting an invitation. */
const schema = typedTwice(z.object(newPasswordFields));

const gone = () => data({ usable: false as const }, { status: 410 });

export async function loader({ context, params }: LoaderFunctionArgs) {
  requirePasswordSignIn(context);
  return (await resetLinkUsable(context.sql, params.token ?? "")) ? { usable: true as const } : gone();
}

/** Sets the password (the link is used up, the person's other sessions end) and signs them in. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  requirePasswordSignIn(context);
  const token = params.token ?? "";
  const form = await request.formData().catch(() => null);
  if (!form) return invalid({ errors: { form: ["The form could not be read."] } });
  const parsed = parseForm(form, schema);
  if (!parsed.ok) return invalid(parsed);
  // Hashing is slow by design; it is done before the link's row is locked, to keep the lock short.
  const reset = await resetPassword(context.sql, token, await hashPassword(parsed.data.password));
  if (!reset) return gone();
  throw redirect("/", { headers: { "Set-Cookie": await context.auth.startSession(reset.userId) } });
}

export default function ResetPassword() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const usable = loaded.usable && !(result && "usable" in result);
  const errors = result && "errors" in result ? result.errors : {};
  return (
    <SignedOutPage>
      <h1>Choose a new password</h1>
      {usable ? (
        <Form method="post" className="card form" noValidate>
          <p>Your other sessions end when you save: sign in again on your other devices.</p>
          <ErrorList errors={errors.form} />
          <NewPasswordFields label="New password" errors={errors} />
          <button type="submit" className="button primary" disabled={busy}>
            Save and sign in
          </button>
        </Form>
      ) : (
        <>
          <p>This link no longer works: it was used already, or it has expired.</p>
          <p>
            <Link to="/forgot-password">Ask for a new link</Link>
          </p>
        </>
      )}
    </SignedOutPage>
  );
}

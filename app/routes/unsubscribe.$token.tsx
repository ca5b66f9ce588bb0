import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readUnsubscribeToken, turnOffMail } from "./forgot-password.server";
import { notificationKindLabels } from "~/statement/notifications";
import { SignedOutPage } from "~/components/SignedOutPage";

export const meta: MetaFunction = () => [{ title: "Stop e-mails · Concord" }];

/**
 * A notice mail's unsubscribe link. Opening it changes nothing (mail scanners open links): it
 * asks, and the button, or a mail client's one-click unsubscribe (RFC 8058, a POST to the same
 * address), turns that kind's e-mail off for that person, without signing in: the signed token
 * says who and what, and allows nothing else.
 */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const target = readUnsubscribeToken(context.auth, params.token ?? "");
  if (!target) return data({ kind: null }, { status: 404 });
  return { kind: notificationKindLabels[target.kind] };
}

export async function action({ context, params }: ActionFunctionArgs) {
  const target = readUnsubscribeToken(context.auth, params.token ?? "");
  if (!target) return data({ done: false as const }, { status: 404 });
  await turnOffMail(context.sql, target.userId, target.kind);
  return { done: true as const };
}

export default function Unsubscribe() {
  const { kind } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <SignedOutPage>
      <h1>Stop e-mails</h1>
      {kind === null || result?.done === false ? (
        <p>This link is not valid. Check that you copied it whole, or choose what you receive on your notifications page.</p>
      ) : result?.done ? (
        <p role="status">Done: you no longer receive “{kind}” by e-mail. You still see these notices in Concord.</p>
      ) : (
        <Form method="post" className="card form">
          <p>Stop receiving “{kind}” by e-mail? You will still see these notices in Concord.</p>
          <button type="submit" className="button primary">
            Stop these e-mails
          </button>
        </Form>
      )}
      <p>
        <Link to="/notifications">Choose what you receive</Link> (after signing in).
      </p>
    </SignedOutPage>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useRef } from "react";
import { mailing, markAllRead, markRead, notificationPage, preferences, savePreferences } from "./notifications.server";
import { AppHeader } from "~/components/AppHeader";
import { CsrfInput, ErrorList, SelectField } from "~/components/forms";
import { readProtectedForm, requireUser } from "~/utils/auth.server";
import { invalid } from "~/utils/forms";
import { answeringRefusals } from "~/utils/refusals.server";
import { formatUtc } from "~/utils/dates";
import { mailedNotificationKinds, mailLanguages, notificationKindLabels, notificationKinds } from "~/statement/notifications";
import { useNotificationStream } from "~/notifications/stream";

export const meta: MetaFunction = () => [{ title: "Notifications · Concord" }];

/** The signed-in person's own notices, newest first, a page at a time (`?before=<id>` for older ones), and their preferences. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const before = new URL(request.url).searchParams.get("before");
  const [page, chosen] = await Promise.all([notificationPage(context.sql, user.id, before), preferences(context.sql, user.id)]);
  return { ...page, chosen, mailing: mailing(), paged: before !== null };
}

const language = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : null);

/** Marks one notice or all of them read, or saves what the person receives, and how: always the signed-in person's own. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await readProtectedForm(request, context, user);
  const intent = form.get("intent");
  return answeringRefusals(invalid, async () => {
    const id = form.get("id");
    if (intent === "read") await markRead(context.sql, user.id, typeof id === "string" ? id : "");
    else if (intent === "readAll") await markAllRead(context.sql, user.id);
    else if (intent === "preferences")
      await savePreferences(context.sql, user.id, {
        inApp: form.getAll("kinds").filter((k): k is string => typeof k === "string"),
        email: form.getAll("emailKinds").filter((k): k is string => typeof k === "string"),
        mailLanguage: language(form.get("mailLanguage")),
      });
    else return invalid({ errors: { form: ["Choose what to do."] } });
    return { ok: true as const, intent: String(intent) };
  });
}

export default function Notifications() {
  const { notifications, unread, olderThan, chosen, mailing, paged } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const busy = navigation.state !== "idle";
  // The first message says where things stand, as loaded; each later one is a change, shown by reloading.
  const heard = useRef(false);
  useNotificationStream(() => {
    if (heard.current && revalidator.state === "idle" && navigation.state === "idle") revalidator.revalidate();
    heard.current = true;
  });
  const errors = result && !result.ok ? result.errors : null;

  return (
    <div className="page">
      <AppHeader />
      <main id="main" className="home notifications-page">
        <h1>Notifications</h1>
        <ErrorList errors={errors?.form} />
        <p>{unread === 0 ? "Nothing unread." : `${unread} unread.`}</p>
        {unread > 0 ? (
          <Form method="post">
            <CsrfInput />
            <button type="submit" name="intent" value="readAll" className="button" disabled={busy}>
              Mark all as read
            </button>
          </Form>
        ) : null}
        {notifications.length === 0 ? (
          <p>
            {paged
              ? "There are no older notifications."
              : "No notifications yet. You are told here when your delegation is mentioned, its proposals are decided, someone replies in your threads, and of silence procedures."}
          </p>
        ) : (
          <ol className="notification-list">
            {notifications.map((n) => (
              <li key={n.id} className={`notification${n.read ? "" : " unread"}`} data-kind={n.kind}>
                <div>
                  <Link to={n.path} className="notification-text">
                    {n.read ? null : <span className="visually-hidden">Unread: </span>}
                    {n.text}
                  </Link>
                  <p className="notification-meta">
                    {n.documentTitle} · <time dateTime={n.createdAt}>{formatUtc(n.createdAt)}</time>
                  </p>
                </div>
                {n.read ? null : (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" name="intent" value="read" className="button small" disabled={busy}>
                      Mark as read
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ol>
        )}
        <nav aria-label="Pages of notifications">
          {paged ? <Link to="/notifications">Newest</Link> : null}
          {olderThan ? (
            <>
              {paged ? " · " : null}
              <Link to={`/notifications?before=${olderThan}`}>Older notifications</Link>
            </>
          ) : null}
        </nav>

        <section className="notification-preferences" aria-labelledby="preferences-heading">
          <h2 id="preferences-heading">What you are notified of</h2>
          <Form method="post">
            <CsrfInput />
            <fieldset>
              <legend>In Concord</legend>
              {notificationKinds.map((kind) => (
                <div key={kind}>
                  <label>
                    <input type="checkbox" name="kinds" value={kind} defaultChecked={chosen.inApp[kind]} /> {notificationKindLabels[kind]}
                  </label>
                </div>
              ))}
            </fieldset>
            <ErrorList errors={errors?.kinds} />
            <fieldset>
              <legend>By e-mail</legend>
              {mailing ? null : <p className="hint">This Concord does not send e-mail at present; your choices apply when it does.</p>}
              {mailedNotificationKinds.map((kind) => (
                <div key={kind}>
                  <label>
                    <input type="checkbox" name="emailKinds" value={kind} defaultChecked={chosen.email[kind]} />{" "}
                    {notificationKindLabels[kind]}
                    <span className="visually-hidden"> (by e-mail)</span>
                  </label>
                </div>
              ))}
              <ErrorList errors={errors?.emailKinds} />
              <SelectField
                label="Language of my e-mail"
                name="mailLanguage"
                options={Object.entries(mailLanguages).map(([value, label]) => ({ value, label }))}
                defaultValue={chosen.mailLanguage}
                errors={errors?.mailLanguage}
              />
            </fieldset>
            <button type="submit" name="intent" value="preferences" className="button" disabled={busy}>
              Save
            </button>
            {result?.ok && result.intent === "preferences" ? <p role="status">Saved.</p> : null}
          </Form>
        </section>
      </main>
    </div>
  );
}

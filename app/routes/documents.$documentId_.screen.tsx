import { useState } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { admitScreen, screenData } from "../../server/screen/screen";
import { refusals } from "../../server/auth/visibility";
import { invariantResponse } from "~/utils/invariant";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { useLiveUpdates } from "~/negotiation/live";
import { PlenaryScreen } from "~/screen/PlenaryScreen";
import type { ReadingView } from "~/statement/readings";

/**
 * The plenary screen: opened with a projection token (`?token=`), never a session, so a laptop on
 * the podium shows the statement without anyone signed in. An unknown or revoked token is a 404,
 * as for a statement that does not exist. What it shows: server/screen/screen.ts.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const screen = await admitScreen(context.sql, params.documentId ?? "", token);
  invariantResponse(screen.ok || screen.status !== 403, refusals.none, { status: 403 });
  invariantResponse(screen.ok, "There is no such screen.", { status: 404 });
  return { screen: await screenData(context.sql, screen), token };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.screen.document.title} · Plenary screen` : "Concord" },
  // The URL carries the token: nothing here is for search engines.
  { name: "robots", content: "noindex" },
];

export default function ScreenPage() {
  const { screen, token } = useLoaderData<typeof loader>();
  // The reading as the loader read it, then as each of its events carries it (a reload brings it again).
  const [reading, setReading] = useState<{ base: ReadingView | null; now: ReadingView | null }>({
    base: screen.reading,
    now: screen.reading,
  });
  const current = reading.base === screen.reading ? reading.now : screen.reading;
  useLiveUpdates(screen.document.id, undefined, { screen: token, onReading: (now) => setReading({ base: screen.reading, now }) });
  return <PlenaryScreen data={screen} token={token} reading={current} />;
}

export const ErrorBoundary = GeneralErrorBoundary;

import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "./components/GeneralErrorBoundary";
import styles from "./styles/app.css";
import { getUser } from "./utils/auth.server";
import { useServerRender } from "./utils/server-render";
import { unreadNotificationCount } from "../server/queries/notifications";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  return {
    user: user
      ? {
          name: user.name,
          email: user.email,
          isAdmin: user.isAdmin,
          unreadNotifications: await unreadNotificationCount(context.sql, user.id),
        }
      : null,
    csrf: user ? context.auth.csrfToken(user.sessionId) : null,
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const { nonce } = useServerRender();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {/* zod (in the forms' schemas) probes for eval as each module defines them, which the
            policy forbids and reports; told before any module runs, it does not try. */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: "globalThis.__zod_globalConfig = { jitless: true };" }} />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export const ErrorBoundary = GeneralErrorBoundary;

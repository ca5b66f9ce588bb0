import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import type { ErrorReferenceData } from "../../server/http/error-references";
import { useServerRender } from "~/utils/server-render";

const titles: Record<number, string> = {
  400: "The request could not be understood",
  401: "Please sign in",
  403: "You do not have access to this",
  404: "Not found",
};

const referenceOf = (data: unknown) =>
  data && typeof data === "object" && typeof (data as ErrorReferenceData).errorReference === "string"
    ? (data as ErrorReferenceData).errorReference
    : undefined;

/**
 * The one error display of the app, for thrown responses and unexpected errors alike. An
 * unexpected error shows its reference (the server logged the detail under it), never the error.
 */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const server = useServerRender();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : null;
  if (message !== null || (isRouteErrorResponse(error) && status < 500)) {
    return (
      <main className="error-page" role="alert">
        <h1>{titles[status] ?? "Something went wrong"}</h1>
        <p>{message ?? (error as { statusText: string }).statusText}</p>
        <p>
          <Link to="/">Back to the conference</Link>
        </p>
      </main>
    );
  }
  // From a loader or action: in the response. From the server's render: in its context (kept as
  // rendered when the page hydrates). Else the error happened in this browser, not on the server.
  const reference = (isRouteErrorResponse(error) ? referenceOf(error.data) : undefined) ?? server.errorReference;
  return (
    <main className="error-page" role="alert">
      <h1>Something went wrong</h1>
      <p>Something went wrong on our side. Your work in open documents is kept; try again in a moment.</p>
      <p>
        If it happens again, tell the secretariat this reference:{" "}
        <code className="error-reference" suppressHydrationWarning>
          {reference ?? "none (the error happened in this browser; reload the page)"}
        </code>
      </p>
      <p>
        <Link to="/">Back to the conference</Link>
      </p>
    </main>
  );
}

import { useFetcher } from "@remix-run/react";
import { CsrfInput, Field } from "~/components/forms";
import { maxVersionNameLength } from "~/statement/limits";
import type { action as historyAction } from "~/routes/documents.$documentId_.history";

/** "Save a revision" in the statement page's header, for the chair and the secretariat; posts to the history page. */
export function SaveRevision({ documentId }: { documentId: string }) {
  const fetcher = useFetcher<typeof historyAction>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  return (
    <details className="save-revision">
      <summary className="button small on-dark">Save a revision</summary>
      <fetcher.Form method="post" action={`/documents/${documentId}/history`} className="save-revision-form">
        <CsrfInput />
        <input type="hidden" name="intent" value="create" />
        <Field
          label="Name of the revision"
          name="name"
          placeholder="Rev.1"
          maxLength={maxVersionNameLength}
          required
          errors={result && !result.ok ? result.errors.name : undefined}
        />
        <button type="submit" className="button small primary" disabled={fetcher.state !== "idle"}>
          Save
        </button>
        {result?.ok ? (
          <p role="status" className="form-success">
            {result.message}
          </p>
        ) : null}
      </fetcher.Form>
    </details>
  );
}

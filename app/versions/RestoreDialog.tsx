import { Form } from "@remix-run/react";
import { ConfirmDialog } from "~/components/ConfirmDialog";
import { CsrfInput } from "~/components/forms";
import { beforeRestoringName, restoreConfirmation } from "~/statement/restore-names";

/**
 * The chair's confirmation before a restore, which replaces the text everyone is working on: it
 * names the version and says where the current text goes.
 */
export function RestoreDialog({
  version,
  busy,
  onCancel,
}: {
  version: { id: string; label: string };
  busy: boolean;
  onCancel: () => void;
}) {
  return (
    <ConfirmDialog
      title={`Restore “${version.label}”?`}
      onCancel={onCancel}
      actions={
        <Form method="post" className="dialog-actions">
          <CsrfInput />
          <input type="hidden" name="intent" value="restore" />
          <input type="hidden" name="versionId" value={version.id} />
          <input type="hidden" name="confirm" value={restoreConfirmation} />
          <button type="submit" className="button primary" disabled={busy}>
            Restore {version.label}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </Form>
      }
    >
      The statement will read as it did in “{version.label}”, for everyone, at once. The current text will be kept as a version named “
      {beforeRestoringName(version.label)}”, so nothing written since is lost.
    </ConfirmDialog>
  );
}

import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * Asks before an act that cannot be taken back (a restore, breaking silence): a modal <dialog>,
 * so focus stays in it and Escape cancels; it says what will happen, and its actions (the
 * confirming button, and Cancel) are the caller's, inside the caller's form.
 */
export function ConfirmDialog({
  title,
  children,
  actions,
  onCancel,
}: {
  title: ReactNode;
  /** What will happen. */
  children: ReactNode;
  actions: ReactNode;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} className="confirm-dialog" aria-labelledby={titleId} aria-describedby={textId} onCancel={onCancel}>
      <h2 id={titleId}>{title}</h2>
      <p id={textId}>{children}</p>
      {actions}
    </dialog>
  );
}

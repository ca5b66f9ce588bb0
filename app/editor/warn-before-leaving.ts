import { useEffect } from "react";

/**
 * Asks the browser to confirm leaving the page (reload, close, another address) while `unsent`.
 * The edits are also kept in the browser, but a copy on this machine is no help to the others
 * until the person comes back.
 */
export function useWarnBeforeLeaving(unsent: boolean): void {
  useEffect(() => {
    if (!unsent) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the dialog only when returnValue is set.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [unsent]);
}

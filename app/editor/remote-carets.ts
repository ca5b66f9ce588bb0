import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { Plugin, type StateField } from "@tiptap/pm/state";
import { DecorationSet } from "@tiptap/pm/view";
import { yCursorPluginKey } from "@tiptap/y-tiptap";
import type { Awareness } from "y-protocols/awareness";
import { readPresence, type CaretJSON } from "~/statement/presence-state";

export interface CaretUser {
  name: string;
  color: string;
}

/** A remote caret; only ever given a checked name and colour (see `checkedAwareness`). */
export function renderCaret(user: CaretUser): HTMLElement {
  const caret = document.createElement("span");
  caret.className = "collab-caret";
  caret.style.borderColor = user.color;
  caret.setAttribute("aria-hidden", "true");
  const label = document.createElement("span");
  label.className = "collab-caret__label";
  label.style.backgroundColor = user.color;
  label.textContent = user.name;
  caret.append(label);
  return caret;
}

/**
 * A caret near the right edge would push its name out of the page (clipped on a phone). After
 * every redraw and resize, a name that does not fit hangs to the left of its caret instead. This
 * cannot be decided when a caret is drawn: ProseMirror keeps a caret's element and only moves it.
 */
const labelsInsideThePage = new Plugin({
  view(view) {
    let frame = 0;
    const place = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const page = (view.dom.closest(".paper") ?? view.dom).getBoundingClientRect();
        view.dom.querySelectorAll<HTMLElement>(".collab-caret__label").forEach((label) => {
          label.classList.remove("collab-caret__label--left");
          if (label.getBoundingClientRect().right > page.right) label.classList.add("collab-caret__label--left");
        });
      });
    };
    window.addEventListener("resize", place);
    place();
    return {
      update: place,
      destroy: () => {
        cancelAnimationFrame(frame);
        window.removeEventListener("resize", place);
      },
    };
  },
});

/**
 * The awareness as the caret plugin sees it: only states `readPresence` accepts, as fresh copies
 * holding only what is drawn. y-tiptap's `createDecorations` reads `cursor.anchor/head` of every
 * state and throws on a malformed one (Yjs: "Unexpected case"), and it writes defaults into the
 * states it is given, so it never gets the provider's own objects.
 */
function checkedAwareness(awareness: Awareness, field: string) {
  const states = () => {
    const shown = new Map<number, { user: CaretUser; cursor: CaretJSON | null }>();
    awareness.getStates().forEach((state, clientId) => {
      const presence = readPresence(state, field);
      if (presence) shown.set(clientId, { user: { name: presence.name, color: presence.color }, cursor: presence.cursor });
    });
    return shown;
  };
  return {
    get clientID() {
      return awareness.clientID;
    },
    get doc() {
      return awareness.doc;
    },
    get states() {
      return states();
    },
    getStates: states,
    // The plugin compares its caret with the one published; a state it cannot read counts as none.
    getLocalState: () => {
      const own = awareness.getLocalState();
      return own && readPresence(own, field) ? own : null;
    },
    setLocalStateField: (name: string, value: unknown) => awareness.setLocalStateField(name, value),
    on: (event: "change" | "update", listener: (...args: unknown[]) => void) => awareness.on(event, listener),
    off: (event: "change" | "update", listener: (...args: unknown[]) => void) => awareness.off(event, listener),
  };
}

const noCarets = (err: unknown) => {
  console.error("Remote carets could not be drawn", err);
  return DecorationSet.empty;
};

/**
 * The caret plugin's decorations are plugin state, computed inside the very transaction that
 * applies a remote change to the editor. Should drawing throw, the whole transaction is lost:
 * the editor keeps its old text while the sync binding believes it is current, and the next
 * local keystroke writes that old text back over everyone's edits. So drawing may fail, but
 * then it draws no carets and the change still applies.
 */
function drawingCannotFail(plugin: Plugin): Plugin {
  const field = plugin.spec.state as StateField<DecorationSet>;
  return new Plugin({
    ...plugin.spec,
    state: {
      init(config, state) {
        try {
          return field.init.call(this, config, state);
        } catch (err) {
          return noCarets(err);
        }
      },
      apply(tr, value, oldState, newState) {
        try {
          return field.apply.call(this, tr, value, oldState, newState);
        } catch (err) {
          return noCarets(err);
        }
      },
    },
  });
}

const CheckedCollaborationCaret = CollaborationCaret.extend({
  addProseMirrorPlugins() {
    return [...(this.parent?.() ?? []).map((p) => (p.spec.key === yCursorPluginKey ? drawingCannotFail(p) : p)), labelsInsideThePage];
  },
});

/** Named carets and selections of the others in the text stored in `field`; ours is published as `user`. */
export function remoteCarets({ awareness, field, user }: { awareness: Awareness; field: string; user: CaretUser }) {
  return CheckedCollaborationCaret.configure({
    provider: { awareness: checkedAwareness(awareness, field) },
    user,
    render: renderCaret,
    selectionRender: (u: CaretUser) => ({ nodeName: "span", class: "collab-selection", style: `background-color: ${u.color}33` }),
  });
}

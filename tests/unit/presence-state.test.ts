import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { readPresence, type RelativePositionJSON } from "../../app/statement/presence-state";

const field = "default";
const doc = new Y.Doc();
const text = doc.getXmlFragment(field);
const paragraph = new Y.XmlElement("paragraph");
text.insert(0, [paragraph]);
/** Positions exactly as the stock client publishes them: Yjs relative positions through JSON. */
const published = (position: Y.RelativePosition) => JSON.parse(JSON.stringify(position)) as RelativePositionJSON;
const inText = published(Y.createRelativePositionFromTypeIndex(text, 0));
const atEnd = published(Y.createRelativePositionFromTypeIndex(text, 1));
const user = { name: "Amina Diallo (AZE)", color: "#1a5fb4" };

describe("reading someone else's presence", () => {
  it("shows what our own client publishes: a name, a colour and a caret or none", () => {
    expect(readPresence({ user, cursor: { anchor: inText, head: atEnd } }, field)).toEqual({
      ...user,
      cursor: { anchor: inText, head: atEnd },
    });
    expect(readPresence({ user, cursor: null }, field)).toEqual({ ...user, cursor: null });
    expect(readPresence({ user }, field)).toEqual({ ...user, cursor: null });
  });

  it("keeps only the fields it draws", () => {
    const shown = readPresence({ user: { ...user, onclick: "x" }, cursor: null, extra: 1 }, field);
    expect(shown).toEqual({ ...user, cursor: null });
  });

  it.each([
    ["no user", { cursor: null }],
    ["a name that is not a string", { user: { name: 42, color: "#1a5fb4" } }],
    ["an empty name", { user: { name: "  ", color: "#1a5fb4" } }],
    ["a name longer than any account's", { user: { name: "x".repeat(201), color: "#1a5fb4" } }],
    ["a colour with more CSS after it", { user: { name: "Eve", color: "red; background:url(x)" } }],
    ["a colour that is not #rrggbb", { user: { name: "Eve", color: "#fff" } }],
    ["a caret with empty positions", { user, cursor: { anchor: {}, head: {} } }],
    ["a caret without a head", { user, cursor: { anchor: inText } }],
    ["a caret on another root type", { user, cursor: { anchor: { ...atEnd, tname: "other" }, head: atEnd } }],
    ["a caret with a clock that is not a count", { user, cursor: { anchor: { ...inText, item: { client: 1, clock: -1 } }, head: inText } }],
    ["a caret with a non-integer assoc", { user, cursor: { anchor: { ...inText, assoc: 0.5 }, head: inText } }],
    ["a caret that is not an object", { user, cursor: "here" }],
    ["a state that is not an object", "Eve"],
  ])("skips a state with %s", (_what, state) => {
    expect(readPresence(state, field)).toBeNull();
  });

  it("accepts only positions Yjs resolves without throwing", () => {
    for (const position of [inText, atEnd]) {
      expect(() => Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(position), doc)).not.toThrow();
    }
    expect(() => Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON({}), doc)).toThrow();
  });
});

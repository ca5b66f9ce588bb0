import { describe, expect, it } from "vitest";
import { mentionedDelegations } from "../../server/notifications/mentions";

const delegations = [
  { id: "uk", name: "United Kingdom", code: "GBR" },
  { id: "un", name: "United", code: "UNI" },
  { id: "no", name: "Norway", code: "NOR" },
  { id: "ci", name: "Côte d'Ivoire", code: "CIV" },
];
const ids = (body: string) => mentionedDelegations(body, delegations).map((d) => d.id);

describe("mentions of delegations in a comment", () => {
  it("reads @ and a code or name in any case, the longest name that matches", () => {
    expect(ids("@united kingdom and @United, and @nor.")).toEqual(["uk", "un", "no"]);
    expect(ids("Thanks @Côte d'Ivoire!")).toEqual(["ci"]);
  });

  it("needs the whole code or name, after an @", () => {
    expect(ids("@Norwegian @NORTH Norway nor@ @ NOR")).toEqual([]);
  });

  it("names each delegation once however often it is mentioned", () => {
    expect(ids("@NOR @Norway @nor")).toEqual(["no"]);
  });
});

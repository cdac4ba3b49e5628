import { describe, expect, it } from "vitest";
import type { EligibleOwner, PreviewTarget, Selection } from "@/lib/users/verb-types";
import {
  type FlowEvent,
  type FlowPhase,
  type FlowState,
  flowReducer,
  initialFlow,
  openDialog,
  type PreviewOk,
} from "./action-flow-state";

const PHASES: readonly FlowPhase[] = [
  "preview",
  "transfer",
  "confirm",
  "running",
  "conflict",
  "done",
  "closed",
];

const target = (n: number): PreviewTarget => ({
  id: `u${n}`,
  name: `User ${n}`,
  email: `u${n}@example.com`,
  status: "active",
  role: "member",
});
const preview = (willChange: PreviewTarget[] = [target(1)]): PreviewOk => ({
  ok: true,
  action: "archive",
  willChangeCount: 3,
  willChange,
  skippedCount: 0,
  skipped: [],
  ownership: [],
  seats: null,
  blocked: null,
  token: "t",
});
const owner: EligibleOwner = { id: "o1", name: "Olivia", email: "o@example.com", role: "admin" };
const selection: Selection = { kind: "ids", targets: [{ id: "u1", expectedStatus: "active" }] };
const narrower: Selection = { kind: "ids", targets: [{ id: "u2", expectedStatus: "inactive" }] };

/** One event of each type: the switch below fails to compile when the reducer gains one. */
const EVENTS: { [K in FlowEvent["type"]]: Extract<FlowEvent, { type: K }> } = {
  previewed: { type: "previewed", preview: preview(), needsOwner: false },
  previewFailed: { type: "previewFailed", error: "No preview." },
  seeAll: { type: "seeAll" },
  page: { type: "page", rows: [target(2)] },
  pageFailed: { type: "pageFailed", error: "No page." },
  chooseOwner: { type: "chooseOwner" },
  ownerPicked: { type: "ownerPicked", owner },
  ownerConfirmed: { type: "ownerConfirmed" },
  option: { type: "option", key: "notify", value: true },
  reason: { type: "reason", value: "Left" },
  submit: { type: "submit" },
  failed: { type: "failed", error: "Refused." },
  conflict: { type: "conflict", error: "Changed meanwhile." },
  narrowed: { type: "narrowed", selection: narrower },
  succeeded: { type: "succeeded" },
  cancel: { type: "cancel" },
};

const all = (to: FlowPhase) => Object.fromEntries(PHASES.map((p) => [p, to]));

/**
 * Where each event takes each phase (phases not named stay where they are). The admin confirms
 * from the preview, the confirmation or a conflict; nothing but the answer ends a run; an owner
 * is chosen before the confirmation when records move.
 */
const MOVES: Record<FlowEvent["type"], Partial<Record<FlowPhase, FlowPhase>>> = {
  previewed: { preview: "confirm" },
  previewFailed: { preview: "confirm" },
  seeAll: {},
  page: {},
  pageFailed: {},
  chooseOwner: { preview: "transfer", confirm: "transfer", conflict: "transfer" },
  ownerPicked: {},
  // Without an owner picked, Continue does nothing (below).
  ownerConfirmed: { transfer: "confirm" },
  option: {},
  reason: {},
  submit: { preview: "running", confirm: "running", conflict: "running" },
  failed: all("confirm"),
  conflict: all("conflict"),
  narrowed: {},
  succeeded: all("done"),
  cancel: { ...all("closed"), running: "running" },
};

const at = (phase: FlowPhase, extra: Partial<FlowState> = {}): FlowState => ({
  ...initialFlow(selection, { notify: false }),
  phase,
  ...extra,
});

describe("the action flow's phases", () => {
  for (const [type, moves] of Object.entries(MOVES) as [FlowEvent["type"], typeof MOVES.cancel][]) {
    for (const phase of PHASES) {
      const to = moves[phase] ?? phase;
      it(`${type} in ${phase} → ${to}`, () => {
        // ownerConfirmed moves only with an owner picked: give every phase one.
        expect(flowReducer(at(phase, { owner }), EVENTS[type]).phase).toBe(to);
      });
    }
  }

  it("a preview that finds owners goes to the transfer first, unless an owner is picked", () => {
    const needsOwner = { ...EVENTS.previewed, needsOwner: true };
    expect(flowReducer(at("preview"), needsOwner).phase).toBe("transfer");
    expect(flowReducer(at("preview", { owner }), needsOwner).phase).toBe("confirm");
    expect(flowReducer(at("confirm"), needsOwner).phase).toBe("confirm");
  });

  it("Continue without an owner picked stays in the transfer", () => {
    expect(flowReducer(at("transfer"), EVENTS.ownerConfirmed).phase).toBe("transfer");
  });

  it("starts at the preview, with nothing loaded, the options given and no reason", () => {
    expect(initialFlow(selection, { notify: true })).toEqual({
      phase: "preview",
      selection,
      preview: null,
      previewError: null,
      expanded: false,
      loadingMore: false,
      owner: null,
      values: { notify: true },
      reason: "",
      error: null,
    });
  });
});

describe("what each event records", () => {
  it("previewed: the preview, and no preview error", () => {
    const next = flowReducer(at("confirm", { previewError: "old" }), EVENTS.previewed);
    expect(next.preview).toBe(EVENTS.previewed.preview);
    expect(next.previewError).toBeNull();
  });

  it("previewFailed: the error, and no preview", () => {
    const next = flowReducer(at("confirm", { preview: preview() }), EVENTS.previewFailed);
    expect(next.preview).toBeNull();
    expect(next.previewError).toBe("No preview.");
  });

  it("seeAll: a page is loading", () => {
    expect(flowReducer(at("confirm"), EVENTS.seeAll).loadingMore).toBe(true);
  });

  it("page: its rows join the list once each, and the list grows (expanded)", () => {
    const state = at("confirm", { preview: preview([target(1)]), loadingMore: true });
    const next = flowReducer(state, { type: "page", rows: [target(1), target(2), target(3)] });
    expect(next.preview?.willChange.map((t) => t.id)).toEqual(["u1", "u2", "u3"]);
    expect(next).toMatchObject({ loadingMore: false, expanded: true });
  });

  it("page without a preview: only the loading ends", () => {
    const next = flowReducer(at("confirm", { loadingMore: true }), EVENTS.page);
    expect(next).toEqual(at("confirm"));
  });

  it("pageFailed: the loading ends, with the error", () => {
    const next = flowReducer(at("confirm", { loadingMore: true }), EVENTS.pageFailed);
    expect(next).toMatchObject({ loadingMore: false, error: "No page." });
  });

  it("ownerPicked: the owner", () => {
    expect(flowReducer(at("transfer"), EVENTS.ownerPicked).owner).toBe(owner);
  });

  it("option: that value, the others kept", () => {
    const state = at("confirm", { values: { notify: false, confirm: "x" } });
    expect(flowReducer(state, EVENTS.option).values).toEqual({ notify: true, confirm: "x" });
  });

  it("reason: the text", () => {
    expect(flowReducer(at("confirm"), EVENTS.reason).reason).toBe("Left");
  });

  it("submit: the last error is cleared", () => {
    expect(flowReducer(at("confirm", { error: "Refused." }), EVENTS.submit).error).toBeNull();
  });

  it("submit outside a confirmation changes nothing", () => {
    const state = at("transfer", { error: "Refused." });
    expect(flowReducer(state, EVENTS.submit)).toBe(state);
  });

  it("failed: the error", () => {
    expect(flowReducer(at("running"), EVENTS.failed).error).toBe("Refused.");
  });

  it("conflict: the error, and the whole list shown", () => {
    const next = flowReducer(at("running"), EVENTS.conflict);
    expect(next).toMatchObject({ error: "Changed meanwhile.", expanded: true });
  });

  it("narrowed: the selection is what the admin now sees", () => {
    expect(flowReducer(at("conflict"), EVENTS.narrowed).selection).toBe(narrower);
  });

  it("a refused event leaves the state as it was", () => {
    for (const state of [at("running"), at("done")]) {
      expect(flowReducer(state, EVENTS.chooseOwner)).toBe(state);
    }
    expect(flowReducer(at("running"), EVENTS.cancel).phase).toBe("running");
  });
});

describe("which dialog is open", () => {
  it("the transfer in its phase, none once done or closed, else the confirmation", () => {
    expect(Object.fromEntries(PHASES.map((p) => [p, openDialog(p)]))).toEqual({
      preview: "confirm",
      transfer: "transfer",
      confirm: "confirm",
      running: "confirm",
      conflict: "confirm",
      done: null,
      closed: null,
    });
  });
});

import type {
  EligibleOwner,
  PreviewResponse,
  PreviewTarget,
  Selection,
} from "@/lib/users/verb-types";
import type { OptionValues } from "@/model/verbs/fields";

export type PreviewOk = Extract<PreviewResponse, { ok: true }>;

/**
 * One action's flow: the preview loads, a new owner is picked if records must move, the admin
 * confirms, it runs, and it ends done, or back at the confirmation after a conflict or error.
 */
export type FlowPhase =
  | "preview"
  | "transfer"
  | "confirm"
  | "running"
  | "conflict"
  | "done"
  | "closed";

export type FlowState = {
  phase: FlowPhase;
  /** What is applied: narrowed after a conflict to the users the admin now sees. */
  selection: Selection;
  preview: PreviewOk | null;
  previewError: string | null;
  /** "See all": the list scrolls and grows a page at a time (keyset, lib/users/preview-sql.ts). */
  expanded: boolean;
  loadingMore: boolean;
  owner: EligibleOwner | null;
  values: OptionValues;
  reason: string;
  error: string | null;
};

export type FlowEvent =
  | { type: "previewed"; preview: PreviewOk; needsOwner: boolean }
  | { type: "previewFailed"; error: string }
  | { type: "seeAll" }
  | { type: "page"; rows: PreviewTarget[] }
  | { type: "pageFailed"; error: string }
  | { type: "chooseOwner" }
  | { type: "ownerPicked"; owner: EligibleOwner }
  | { type: "ownerConfirmed" }
  | { type: "option"; key: string; value: boolean | string }
  | { type: "reason"; value: string }
  | { type: "submit" }
  | { type: "failed"; error: string }
  | { type: "conflict"; error: string }
  | { type: "narrowed"; selection: Selection }
  | { type: "succeeded" }
  | { type: "cancel" };

export function initialFlow(selection: Selection, values: OptionValues): FlowState {
  return {
    phase: "preview",
    selection,
    preview: null,
    previewError: null,
    expanded: false,
    loadingMore: false,
    owner: null,
    values,
    reason: "",
    error: null,
  };
}

const CONFIRMING: readonly FlowPhase[] = ["preview", "confirm", "conflict"];

export function flowReducer(state: FlowState, event: FlowEvent): FlowState {
  switch (event.type) {
    case "previewed": {
      const next = { ...state, preview: event.preview, previewError: null };
      if (state.phase !== "preview") return next;
      // Someone owns records: the new owner is chosen before anything is confirmed.
      return { ...next, phase: event.needsOwner && !state.owner ? "transfer" : "confirm" };
    }
    case "previewFailed":
      return {
        ...state,
        preview: null,
        previewError: event.error,
        phase: state.phase === "preview" ? "confirm" : state.phase,
      };
    case "seeAll":
      return { ...state, loadingMore: true };
    case "page": {
      if (!state.preview) return { ...state, loadingMore: false };
      const seen = new Set(state.preview.willChange.map((t) => t.id));
      const rows = event.rows.filter((t) => !seen.has(t.id));
      return {
        ...state,
        loadingMore: false,
        expanded: true,
        preview: { ...state.preview, willChange: [...state.preview.willChange, ...rows] },
      };
    }
    case "pageFailed":
      return { ...state, loadingMore: false, error: event.error };
    case "chooseOwner":
      return CONFIRMING.includes(state.phase) ? { ...state, phase: "transfer" } : state;
    case "ownerPicked":
      return { ...state, owner: event.owner };
    case "ownerConfirmed":
      return state.phase === "transfer" && state.owner ? { ...state, phase: "confirm" } : state;
    case "option":
      return { ...state, values: { ...state.values, [event.key]: event.value } };
    case "reason":
      return { ...state, reason: event.value };
    case "submit":
      return CONFIRMING.includes(state.phase) ? { ...state, phase: "running", error: null } : state;
    case "failed":
      return { ...state, phase: "confirm", error: event.error };
    case "conflict":
      return { ...state, phase: "conflict", error: event.error, expanded: true };
    case "narrowed":
      return { ...state, selection: event.selection };
    case "succeeded":
      return { ...state, phase: "done" };
    case "cancel":
      return state.phase === "running" ? state : { ...state, phase: "closed" };
  }
}

/** Which of the flow's two dialogs is open. */
export function openDialog(phase: FlowPhase): "confirm" | "transfer" | null {
  if (phase === "transfer") return "transfer";
  if (phase === "done" || phase === "closed") return null;
  return "confirm";
}

export { lifecycleAction, previewAction, searchNewOwners } from "../actions";

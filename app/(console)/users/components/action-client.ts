export { lifecycleAction, previewAction, previewPageAction, searchNewOwners } from "../actions";

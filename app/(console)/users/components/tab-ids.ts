import type { Tab } from "@/model/statuses";

/** Ids that tie the tabs to the panel they control (server and client both render them). */
export const USERS_PANEL_ID = "users-panel";
export const tabId = (tab: Tab) => `users-tab-${tab}`;

/** The typed IPC layer: the {@link Backend} interface, the Tauri implementation and a fake for tests. */
export { BackendError, type Backend } from "./backend";
export { FakeBackend, type FakeWorkbook } from "./fake";
export { TauriBackend, inTauri } from "./tauri";
export type * from "./types";

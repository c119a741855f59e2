/**
 * The typed IPC layer: the {@link Backend} interface and the Tauri implementation. The unit tests' fake
 * backend lives beside them, in tests/unit/fakeBackend.ts.
 */
export { BackendError, type Backend } from "./backend";
export { TauriBackend, inTauri } from "./tauri";
export type * from "./types";

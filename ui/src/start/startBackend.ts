import { invoke } from "@tauri-apps/api/core";
import { BackendError, type WorkbookSummary } from "../api";

/** What About shows of the app itself (`app_info` in src-tauri/src/commands/start.rs). */
export interface AppInfo {
  name: string;
  version: string;
  tauriVersion: string;
}

/** The start view's own commands, apart from the main {@link Backend} so the fakes of other tests need not grow. */
export interface StartBackend {
  /** The app's name and version. */
  appInfo(): Promise<AppInfo>;
  /** Copies the bundled sample into the documents folder if it is not there yet and opens that copy. */
  openSample(): Promise<WorkbookSummary>;
}

/** The real one: Tauri commands in src-tauri/src/commands/start.rs. */
export class TauriStartBackend implements StartBackend {
  appInfo(): Promise<AppInfo> {
    return call<AppInfo>("app_info");
  }

  openSample(): Promise<WorkbookSummary> {
    return call<WorkbookSummary>("open_sample");
  }
}

async function call<T>(cmd: string): Promise<T> {
  try {
    return await invoke<T>(cmd);
  } catch (reason) {
    throw BackendError.from(reason);
  }
}

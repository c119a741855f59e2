import { describe, expect, it } from "vitest";
import { BackendError } from "../../src/api";

describe("BackendError.from", () => {
  it("keeps the kind and message of a payload from Rust", () => {
    const e = BackendError.from({ kind: "workbook", message: "x.tessera: not a workbook" });
    expect(e.kind).toBe("workbook");
    expect(e.message).toBe("x.tessera: not a workbook");
  });

  it("wraps plain errors and strings as IPC failures", () => {
    expect(BackendError.from(new Error("boom")).kind).toBe("ipc");
    expect(BackendError.from("command not found").message).toBe("command not found");
  });
});

import { defineConfig } from "vitest/config";

// The Tauri window loads ui/dist from its own protocol; relative asset paths also let a plain static server
// (the browser test) serve the same build.
export default defineConfig({
  base: "./",
  clearScreen: false,
  server: {
    // The state outlines live in sample-data/ beside the repository's other shipped data.
    fs: { allow: [".."] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2021",
    chunkSizeWarningLimit: 1500,
  },
  test: {
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
  },
});

import { defineConfig } from "vite";

// The dashboard is served by the ASP.NET app from wwwroot (UseDefaultFiles/UseStaticFiles) under a strict content
// security policy (script-src 'self'): Vite emits external module scripts only, never inline ones.
// `npm run dev` serves it on :5173 and forwards the API and the hub to an app started with ops/run (port 5080).
export default defineConfig({
  base: "/",
  build: {
    outDir: "../wwwroot",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:5080",
      "/hubs": { target: "http://127.0.0.1:5080", ws: true },
    },
  },
});

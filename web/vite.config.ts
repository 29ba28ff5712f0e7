// SPDX-License-Identifier: Apache-2.0
// Vite build of the hoshitori web UI. `npm run dev` proxies /api to a running `hoshitori serve`
// (HOSHI_API, default http://127.0.0.1:8080); `npm run build` writes dist/, which
// `hoshitori serve --web-dir web/dist` serves.
import { defineConfig } from 'vite';

const api = process.env.HOSHI_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
});

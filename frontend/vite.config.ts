import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The SPA calls the API same-origin (/api/...), so nothing environment-specific
// is built in. The dev and preview servers forward /api to a backend: API_URL,
// default the backend's own default address.
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';
const proxy = { '/api': { target: api, changeOrigin: false, ws: false } };

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true, proxy },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, proxy },
  build: {
    target: 'es2022',
    sourcemap: true,
    // Fonts and icons stay separate files: the strict CSP of the static server forbids data: URIs.
    assetsInlineLimit: 0,
  },
});

import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API is served on the same origin in production. In development Vite proxies /api to the
// server; the Host header is left as is (no changeOrigin) so the server's same-origin check
// sees the browser's Origin and Host agree.
const apiProxy = { '/api': { target: 'http://localhost:3000' } };

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // The server puts a fresh nonce here in each answer of index.html (CSP_NONCE_PLACEHOLDER in
  // apps/server/src/lib/security-headers.ts); the page's Content-Security-Policy allows it.
  html: { cspNonce: 'ENGAGE_CSP_NONCE' },
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across deploys.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 2 },
            // @mantine/dates stays out of the shared chunks: only lazily loaded pickers use it; so does
            // libphonenumber-js (its metadata is ~80 kB), used by lazily loaded pages.
            { name: 'mantine', test: /node_modules[\\/](@mantine[\\/](?!dates)|@floating-ui[\\/])/, priority: 1 },
            // The SIP library (jssip, sdp-transform) too: loaded only where there is a phone system.
            {
              name: 'vendor',
              test: /node_modules[\\/](?!@mantine[\\/]dates|libphonenumber-js[\\/]|jssip[\\/]|sdp-transform[\\/])/,
            },
          ],
        },
      },
    },
  },
  server: { proxy: apiProxy },
  preview: { proxy: apiProxy },
});

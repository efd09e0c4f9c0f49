import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// During development the API is served by a locally running `staffroom serve`;
// point STAFFROOM_API at it (default http://127.0.0.1:8080).
const apiTarget = process.env.STAFFROOM_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [preact({ prerender: { enabled: false } })],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/healthz': { target: apiTarget },
    },
  },
});

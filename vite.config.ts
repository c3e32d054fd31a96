import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is one static build served both by Electron (file://) and by the web host.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true },
});

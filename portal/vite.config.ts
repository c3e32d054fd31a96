import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The customer portal (issue 13): its own small build, served by the central server at /portal.
export default defineConfig({
  root: 'portal',
  base: '/portal/',
  plugins: [react()],
  build: { outDir: '../dist/portal', emptyOutDir: true, sourcemap: false },
});

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The central server's administration pages (issue 11): built like the customer portal, served by the server at /admin.
export default defineConfig({
  root: 'admin',
  base: '/admin/',
  plugins: [react()],
  build: { outDir: '../dist/admin', emptyOutDir: true, sourcemap: false },
});

import { defineConfig } from 'vitest/config';

// React's JSX is compiled by esbuild (automatic runtime); no plugin needed.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  server: {
    // Wails' dev watcher reads the "Local:" URL vite prints (serverUrl auto).
    strictPort: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    // Two-core CI machines run Go builds alongside: give slow renders room.
    testTimeout: 20_000,
  },
});

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource/inter/400.css';
import '@fontsource/inter/500.css';
import '@fontsource/inter/600.css';
import '@fontsource/playfair-display/600.css';
import '@fontsource/playfair-display/700.css';
import './styles/global.css';
import { App } from './App';
import { chunkLatencySamples } from './lib/chunkLatency';

// bench/ reads chunk-to-paint samples from here (see lib/chunkLatency.ts).
chunkLatencySamples();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

import { useEffect, useState } from 'react';
import type { AppInfo } from '../api';
import { useApi } from '../api/ApiContext';

export type NavTarget = 'review' | 'history';

const ITEMS: Array<{ to: NavTarget; label: string; hint: string }> = [
  { to: 'review', label: 'Review', hint: 'Check a message' },
  { to: 'history', label: 'History', hint: 'Saved reviews' },
];

export function Sidebar({ active, onNavigate }: { active: NavTarget; onNavigate: (to: NavTarget) => void }) {
  const api = useApi();
  const [info, setInfo] = useState<AppInfo | null>(null);

  useEffect(() => {
    let live = true;
    api.system
      .info()
      .then((i) => live && setInfo(i))
      .catch(() => {
        // The About line is optional; the app works without it.
      });
    return () => {
      live = false;
    };
  }, [api]);

  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          C
        </span>
        <div>
          <p className="brand-name">Cara</p>
          <p className="brand-tag">Communication coach</p>
        </div>
      </div>
      <nav aria-label="Main">
        <ul className="nav-list">
          {ITEMS.map((item) => (
            <li key={item.to}>
              <button
                type="button"
                className="nav-item"
                data-testid={`nav-${item.to}`}
                aria-current={active === item.to ? 'page' : undefined}
                onClick={() => onNavigate(item.to)}
              >
                <span className="nav-label">{item.label}</span>
                <span className="nav-hint">{item.hint}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <footer className="sidebar-footer" aria-label="About Cara">
        <p className="about-line">
          <span className="about-name">Cara</span> {info ? (/^\d/.test(info.version) ? `v${info.version}` : info.version) : ''}
          <span className="about-offline"> · works offline</span>
        </p>
        {info && (
          <>
            <p className="about-label">
              Your data stays on this computer:
            </p>
            <p className="about-path" title={info.dataDir} data-testid="data-dir">
              {info.dataDir}
            </p>
          </>
        )}
      </footer>
    </aside>
  );
}

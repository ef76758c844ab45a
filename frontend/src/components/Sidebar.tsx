import { useEffect, useState } from 'react';
import type { Account, AppInfo, CaraApi } from '../api';
import { useApi } from '../api/ApiContext';

export type NavTarget = 'review' | 'practice' | 'translate' | 'history' | 'settings' | 'account';

// Test ids: nav-<target>.
const ITEMS: Array<{ to: NavTarget; label: string; hint: string }> = [
  { to: 'review', label: 'Review', hint: 'Check a message' },
  { to: 'practice', label: 'Conversation', hint: 'Practise with AI' },
  { to: 'translate', label: 'Translator', hint: 'How a phrase lands' },
  { to: 'history', label: 'History', hint: 'Reviews & conversations' },
  { to: 'settings', label: 'Settings', hint: 'Gemini key & model' },
  { to: 'account', label: 'Account', hint: 'Password & sessions' },
];

export interface SidebarProps {
  active: NavTarget;
  onNavigate: (to: NavTarget) => void;
  /** The signed-in person, shown under the navigation. */
  account?: Account;
}

type GeminiState = 'connected' | 'refused' | 'none';

const geminiState = (hasKey: boolean, refused: boolean): GeminiState =>
  !hasKey ? 'none' : refused ? 'refused' : 'connected';

const GEMINI_LINE: Record<GeminiState, string> = {
  connected: ' · Gemini connected',
  refused: ' · Gemini refused the key',
  none: ' · offline coach only',
};

/**
 * useGeminiState is whether a Gemini key is saved, and refused by Gemini:
 * read once, then kept by the settings calls (saving or removing the key,
 * a model list Gemini refused the key for); null until known.
 */
function useGeminiState(api: CaraApi, enabled: boolean): GeminiState | null {
  const [state, setState] = useState<GeminiState | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const off = api.onGeminiStatus((st, refused) => live && setState(geminiState(st.hasKey, refused)));
    api.settings.geminiStatus().then(
      // The facade has told the listener already, refusal included.
      (st) => live && setState((known) => known ?? geminiState(st.hasKey, false)),
      () => {
        // Unknown: the line says nothing about Gemini.
      },
    );
    return () => {
      live = false;
      off();
    };
  }, [api, enabled]);
  return state;
}

export function Sidebar({ active, onNavigate, account }: SidebarProps) {
  const api = useApi();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const gemini = useGeminiState(api, account !== undefined);

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
      {account && (
        <section className="sidebar-account" aria-label="Signed in as">
          <span className="avatar" aria-hidden="true">
            {initials(account.name || account.email)}
          </span>
          <div className="sidebar-account-text">
            <p className="sidebar-account-name">{account.name}</p>
            <p className="sidebar-account-email" data-testid="account-email" title={account.email}>
              {account.email}
            </p>
          </div>
        </section>
      )}
      <footer className="sidebar-footer" aria-label="About Cara">
        <p className="about-line">
          <span className="about-name">Cara</span> {info ? (/^\d/.test(info.version) ? `v${info.version}` : info.version) : ''}
          {gemini !== null && (
            <span className="about-ai" data-testid="about-ai" data-connected={gemini === 'connected' || undefined}>
              {GEMINI_LINE[gemini]}
            </span>
          )}
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

/** One or two letters for the avatar: "Ana Lima" → "AL". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words.slice(0, 1);
  return letters
    .map((w) => [...(w ?? '')][0] ?? '')
    .join('')
    .toUpperCase();
}

import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { Account, Review } from './api';
import { Sidebar, type NavTarget } from './components/Sidebar';
import { useDraft } from './lib/draft';
import { AccountScreen } from './screens/AccountScreen';
import { HistoryScreen } from './screens/HistoryScreen';
import { ReportScreen } from './screens/ReportScreen';
import { ReviewScreen } from './screens/ReviewScreen';
import { SettingsScreen } from './screens/SettingsScreen';

type View = { name: NavTarget } | { name: 'report'; review: Review; from: NavTarget };

const TITLES: Record<NavTarget, string> = { review: 'Review', history: 'History', settings: 'Settings', account: 'Account' };

/** Files dropped anywhere but the editor must not make the webview navigate away. */
function usePreventFileNavigation() {
  useEffect(() => {
    const stop = (e: DragEvent) => {
      if (e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);
}

export interface WorkspaceProps {
  account: Account;
  /** This device signed out (Sign out, or its own session revoked). */
  onSignedOut: () => void;
  /** The keychain notice, when there is one to show. */
  notice?: ReactNode;
}

/** The signed-in app: the sidebar and the Review, History, Report, Settings and Account screens. */
export function Workspace({ account, onSignedOut, notice }: WorkspaceProps) {
  const [view, setView] = useState<View>({ name: 'review' });
  const [draft, setDraft] = useDraft(account.id);
  const [announcement, setAnnouncement] = useState('');
  usePreventFileNavigation();

  const announce = useCallback((message: string) => {
    // Clear first so the same message is read again.
    setAnnouncement('');
    window.setTimeout(() => setAnnouncement(message), 50);
  }, []);

  const active: NavTarget = view.name === 'report' ? view.from : view.name;

  useEffect(() => {
    const page = view.name === 'report' ? view.review.title || 'Report' : TITLES[view.name];
    document.title = `${page} — Cara`;
    window.scrollTo?.({ top: 0 });
  }, [view]);

  const showReport = (review: Review, from: NavTarget) => {
    setView({ name: 'report', review, from });
    announce(`Report ready. Overall score ${review.report.scores.overall} out of 100.`);
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar active={active} onNavigate={(to) => setView({ name: to })} account={account} />
      <main id="main" className="main" tabIndex={-1}>
        {notice && <div className="screen main-notice">{notice}</div>}
        {view.name === 'review' && (
          <ReviewScreen draft={draft} onDraftChange={setDraft} onReviewed={(r) => showReport(r, 'review')} />
        )}
        {view.name === 'history' && (
          <HistoryScreen
            onOpen={(r) => showReport(r, 'history')}
            onStartReview={() => setView({ name: 'review' })}
            announce={announce}
          />
        )}
        {view.name === 'settings' && <SettingsScreen announce={announce} />}
        {view.name === 'account' && <AccountScreen account={account} onSignedOut={onSignedOut} announce={announce} />}
        {view.name === 'report' && (
          <ReportScreen
            review={view.review}
            backLabel={view.from === 'history' ? 'All reviews' : 'Edit text'}
            onBack={() => setView({ name: view.from })}
            onNewReview={
              view.from === 'review'
                ? () => {
                    setDraft({ title: '', text: '', source: '' });
                    setView({ name: 'review' });
                  }
                : undefined
            }
          />
        )}
      </main>
      <div className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </div>
  );
}

import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { Account, Chat, Review } from './api';
import { useApi } from './api/ApiContext';
import { Sidebar, type NavTarget } from './components/Sidebar';
import { clearChatDraft, edited, useDraft, withoutReview } from './lib/draft';
import { useCatalog } from './lib/useCatalog';
import { AccountScreen } from './screens/AccountScreen';
import { ChatView } from './screens/ChatView';
import { HistoryScreen } from './screens/HistoryScreen';
import { PracticeScreen } from './screens/PracticeScreen';
import { ReportScreen } from './screens/ReportScreen';
import { ReviewScreen } from './screens/ReviewScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { TranslatorScreen } from './screens/TranslatorScreen';

type View =
  | { name: NavTarget }
  | { name: 'report'; review: Review; from: NavTarget }
  | { name: 'chat'; chat: Chat; from: NavTarget };

const TITLES: Record<NavTarget, string> = {
  review: 'Review',
  practice: 'Conversation',
  translate: 'Translator',
  history: 'History',
  settings: 'Settings',
  account: 'Account',
};

/** A conversation opened from History: its transcript and feedback, or the chat itself if it never ended. */
function SavedChat({
  chat,
  onChange,
  onBack,
  announce,
  onOpenSettings,
}: {
  chat: Chat;
  onChange: (chat: Chat) => void;
  onBack: () => void;
  announce: (message: string) => void;
  onOpenSettings: () => void;
}) {
  const api = useApi();
  const catalog = useCatalog(api);
  return (
    <ChatView
      chat={chat}
      catalog={catalog}
      onChange={onChange}
      announce={announce}
      onOpenSettings={onOpenSettings}
      back={{ label: 'All sessions', onClick: onBack }}
    />
  );
}

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
  // The practice screen stays mounted once opened, so a conversation (even a
  // reply still streaming) is where it was when the user comes back.
  const [practiceOpened, setPracticeOpened] = useState(false);
  // The report last shown from Review: going back to Review shows it again
  // until the user edits the text or starts a new review.
  const [reviewReport, setReviewReport] = useState<Review | null>(null);
  const [deletedIds, setDeletedIds] = useState<ReadonlySet<string>>(() => new Set());
  usePreventFileNavigation();

  const announce = useCallback((message: string) => {
    // Clear first so the same message is read again.
    setAnnouncement('');
    window.setTimeout(() => setAnnouncement(message), 50);
  }, []);

  const active: NavTarget = view.name === 'report' || view.name === 'chat' ? view.from : view.name;

  useEffect(() => {
    if (view.name === 'practice') setPracticeOpened(true);
  }, [view.name]);

  // Only a change of screen retitles and scrolls; a review or chat updated in place does not.
  const page =
    view.name === 'report'
      ? view.review.title || 'Report'
      : view.name === 'chat'
        ? view.chat.title || 'Conversation'
        : TITLES[view.name];
  const screenKey = view.name === 'report' ? `report:${view.review.id}` : view.name === 'chat' ? `chat:${view.chat.id}` : view.name;
  useEffect(() => {
    document.title = `${page} — Cara`;
  }, [page]);
  useEffect(() => {
    window.scrollTo?.({ top: 0 });
  }, [screenKey]);

  const openSettings = useCallback(() => setView({ name: 'settings' }), []);

  const navigate = (to: NavTarget) =>
    setView(to === 'review' && reviewReport ? { name: 'report', review: reviewReport, from: 'review' } : { name: to });

  // A deleted practice's text goes from everywhere the UI keeps it: a
  // chat's unsent text, the Review draft it was made from, the report kept
  // for Review, and the conversation open in Conversation.
  const forgetDeleted = useCallback(
    (id: string) => {
      clearChatDraft(id);
      setDraft((cur) => withoutReview(cur, id));
      setReviewReport((r) => (r?.id === id ? null : r));
      setDeletedIds((cur) => new Set(cur).add(id));
    },
    [setDraft],
  );

  const showReport = (review: Review, from: NavTarget) => {
    if (from === 'review') {
      setReviewReport(review);
      setDraft((cur) => ({ ...cur, reviewId: review.id }));
    }
    setView({ name: 'report', review, from });
    announce(`Report ready. Overall score ${review.report.scores.overall} out of 100.`);
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar active={active} onNavigate={navigate} account={account} />
      <main id="main" className="main" tabIndex={-1}>
        {notice && <div className="screen main-notice">{notice}</div>}
        {view.name === 'review' && (
          <ReviewScreen
            draft={draft}
            onDraftChange={(next) => setDraft((cur) => edited(cur, next))}
            onReviewed={(r) => showReport(r, 'review')}
          />
        )}
        {(practiceOpened || view.name === 'practice') && (
          <div hidden={view.name !== 'practice'}>
            <PracticeScreen announce={announce} onOpenSettings={openSettings} deletedIds={deletedIds} />
          </div>
        )}
        {view.name === 'translate' && <TranslatorScreen announce={announce} onOpenSettings={openSettings} />}
        {view.name === 'history' && (
          <HistoryScreen
            onOpen={(r) => showReport(r, 'history')}
            onOpenChat={(chat) => setView({ name: 'chat', chat, from: 'history' })}
            onStartReview={() => setView({ name: 'review' })}
            announce={announce}
            onDeleted={forgetDeleted}
          />
        )}
        {view.name === 'chat' && (
          <SavedChat
            chat={view.chat}
            onChange={(chat) => setView({ name: 'chat', chat, from: view.from })}
            onBack={() => setView({ name: view.from })}
            announce={announce}
            onOpenSettings={openSettings}
          />
        )}
        {view.name === 'settings' && <SettingsScreen announce={announce} />}
        {view.name === 'account' && <AccountScreen account={account} onSignedOut={onSignedOut} announce={announce} />}
        {view.name === 'report' && (
          <ReportScreen
            review={view.review}
            onReviewChange={(review) => {
              if (view.from === 'review') setReviewReport(review);
              setView({ name: 'report', review, from: view.from });
            }}
            onOpenSettings={openSettings}
            backLabel={view.from === 'history' ? 'All sessions' : 'Edit text'}
            onBack={() => {
              if (view.from === 'review') setReviewReport(null); // "Edit text": back to the editor
              setView({ name: view.from });
            }}
            onNewReview={
              view.from === 'review'
                ? () => {
                    setDraft({ title: '', text: '', source: '' });
                    setReviewReport(null);
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

// Sample DTOs shaped exactly as the Go side sends them.
import type {
  Account,
  AuthState,
  Catalog,
  Chat,
  Feedback,
  Flag,
  FlagKind,
  GeminiModel,
  GeminiStatus,
  HistoryItem,
  PasswordRule,
  QueueStatus,
  Review,
  ReviewSummary,
  SessionInfo,
  Translation,
  UsageStatus,
} from '../api/types';

export const sampleText =
  'Hi Sam 👋🏽, I just think we should maybe move the sync. Sorry to bother you! The deck was reviewed by the team.';

function flag(kind: FlagKind, needle: string, message: string, suggestion: string): Flag {
  const start16 = sampleText.indexOf(needle);
  if (start16 < 0) throw new Error(`fixture: ${needle} not in text`);
  const start = [...sampleText.slice(0, start16)].length;
  return {
    kind,
    start,
    end: start + [...needle].length,
    start16,
    end16: start16 + needle.length,
    text: needle,
    message,
    suggestion,
  };
}

export const sampleReview: Review = {
  id: '01JQ0000000000000000000000',
  title: 'Hi Sam',
  text: sampleText,
  source: 'paste',
  createdAt: '2026-03-12T16:40:05.123456789Z',
  report: {
    version: 1,
    counts: {
      words: 21,
      sentences: 3,
      syllables: 27,
      characters: 88,
      letters: 80,
      polysyllables: 0,
      difficultWords: 1,
      paragraphs: 1,
    },
    readability: {
      fleschReadingEase: 88.7,
      fleschKincaidGrade: 3.1,
      gunningFog: 5.2,
      smogIndex: 3.1,
      colemanLiauIndex: 4.9,
      automatedReadabilityIndex: 2.4,
      plainGrade: 'easy for most adults',
    },
    sentences: {
      count: 3,
      meanWords: 7,
      medianWords: 7,
      longestWords: 10,
      lengths: [10, 4, 7],
      histogram: [
        { label: '1–10', count: 3 },
        { label: '11–20', count: 0 },
        { label: '21–30', count: 0 },
        { label: '31–40', count: 0 },
        { label: '41+', count: 0 },
      ],
      long: [],
    },
    flags: [
      flag('filler', 'just', '"just" is a filler word', 'Delete "just"'),
      flag('hedge', 'maybe', '"maybe" makes you sound unsure', 'Say what you want: "let\'s move the sync"'),
      flag('apology', 'Sorry to bother you', 'You apologise for asking', 'Try "Thanks for your time"'),
      flag('passive', 'was reviewed', 'Passive voice hides who acted', 'Try "The team reviewed the deck"'),
    ],
    scores: { overall: 72, clarity: 81, concision: 76, confidence: 54, warmth: 77 },
    topChanges: [
      { title: 'Drop 1 hedge', detail: 'Say what you want plainly.', kind: 'hedge', count: 1 },
      { title: 'Cut 1 filler word', detail: '"just" adds length, not meaning.', kind: 'filler', count: 1 },
      { title: 'Thank instead of apologising', detail: 'Swap "sorry" for thanks.', kind: 'apology', count: 1 },
    ],
    notes: [],
    repairedUtf8: false,
  },
  aiStatus: '',
  aiError: '',
  aiErrorCode: '',
  aiRetryAt: '',
  aiMode: '',
  updated_hlc: { wall_ms: 1773333605123, counter: 0, node: '' },
  deleted: false,
};

export function summaryOf(r: Review): ReviewSummary {
  return {
    id: r.id,
    title: r.title,
    createdAt: r.createdAt,
    words: r.report.counts.words,
    flags: r.report.flags.length,
    scores: r.report.scores,
    aiStatus: r.aiStatus,
  };
}

export const sampleAccount: Account = {
  id: '01JACC0000000000000000000',
  email: 'ana@example.com',
  name: 'Ana Lima',
  role: 'Product Manager',
  createdAt: '2026-03-01T09:30:00Z',
};

export const signedIn: AuthState = { signedIn: true, account: sampleAccount, notice: '' };
export const signedOut: AuthState = { signedIn: false, account: null, notice: '' };

export const sampleSessions: SessionInfo[] = [
  {
    id: 'sess-this',
    device: 'Cara on Linux',
    createdAt: '2026-03-10T08:00:00Z',
    lastUsedAt: '2026-03-12T16:40:05Z',
    current: true,
  },
  {
    id: 'sess-laptop',
    device: 'Cara on macOS',
    createdAt: '2026-03-02T11:15:00Z',
    lastUsedAt: '2026-03-05T18:20:00Z',
    current: false,
  },
];

const COMMON = new Set(['password', 'password1', 'password123', 'qwerty123']);

/** The password rules as Go applies them, close enough for UI tests. */
export function checklistFor(password: string, email: string): PasswordRule[] {
  const local = (email.split('@')[0] ?? '').toLowerCase();
  return [
    { id: 'min_length', message: 'Password must be at least 8 characters', ok: [...password].length >= 8 },
    { id: 'upper', message: 'Password must contain at least one uppercase letter', ok: /\p{Lu}/u.test(password) },
    { id: 'lower', message: 'Password must contain at least one lowercase letter', ok: /\p{Ll}/u.test(password) },
    { id: 'digit', message: 'Password must contain at least one number', ok: /\p{Nd}/u.test(password) },
    { id: 'max_bytes', message: 'Password must be at most 72 bytes', ok: new TextEncoder().encode(password).length <= 72 },
    { id: 'not_common', message: 'Password is too common', ok: !COMMON.has(password.toLowerCase()) },
    {
      id: 'not_email',
      message: 'Password must not contain your email address',
      ok: !(local.length >= 3 && password.toLowerCase().includes(local)),
    },
  ];
}

export const noGeminiKey: GeminiStatus = { hasKey: false, keyHint: '', model: '', models: [] };

export const geminiModels: GeminiModel[] = [
  { id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash' },
  { id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro' },
];

export const geminiConnected: GeminiStatus = {
  hasKey: true,
  keyHint: '…abcd',
  model: 'gemini-2.5-flash',
  models: geminiModels,
};

// --- the AI side

export const zeroUsage = { promptTokens: 0, candidatesTokens: 0, totalTokens: 0 };

export const reviewWithAI: Review = {
  ...sampleReview,
  aiStatus: 'ready',
  aiMode: 'strict',
  ai: {
    mode: 'strict',
    summary: 'Friendly, but the hedges bury your request.',
    points: ['Say what you want first.', 'Thank Sam instead of apologising.'],
    rewrite: 'Hi Sam 👋🏽, let us move the sync. Thanks for your time! The team reviewed the deck.',
    usage: { promptTokens: 300, candidatesTokens: 120, totalTokens: 420 },
    model: 'gemini-2.5-flash',
    createdAt: '2026-03-12T16:41:00Z',
  },
};

export const sampleCatalog: Catalog = {
  scenarios: [
    {
      id: 'interview',
      title: 'Behavioural interview',
      description: 'Answer "tell me about a time…" questions with STAR stories.',
      goal: 'Give one clear STAR story with a measurable result.',
      opening: 'Thanks for coming in. Tell me about a time you disagreed with your manager.',
    },
    {
      id: 'salary',
      title: 'Salary negotiation',
      description: 'Ask for the offer you want, calmly.',
      goal: 'Name a number and justify it.',
      opening: 'We are happy to offer you the role at 120k.',
    },
  ],
  personas: [
    { id: 'coach', name: 'Neutral coach', description: 'Balanced and patient.' },
    { id: 'skeptic', name: 'Skeptic', description: 'Pushes back on everything.' },
  ],
  limits: {
    turn: { max: 4000, tooLong: 'That message is too long (max 4,000 characters) — say it in shorter turns' },
    context: {
      max: 20000,
      tooLong: 'The context file is too long (max 20,000 characters) — keep the parts that matter, such as the job description',
    },
  },
};

export const sampleChat: Chat = {
  id: 'chat-1',
  title: 'Behavioural interview with Neutral coach',
  scenarioId: 'interview',
  personaId: 'coach',
  turns: [
    {
      id: 't1',
      role: 'persona',
      text: 'Thanks for coming in. Tell me about a time you disagreed with your manager.',
      status: 'complete',
      error: '',
      errorCode: '',
      retryAt: '',
      createdAt: '2026-03-12T16:40:00Z',
      chunks: 0,
    },
  ],
  ended: false,
  aiStatus: '',
  aiError: '',
  aiErrorCode: '',
  aiRetryAt: '',
  usage: zeroUsage,
  createdAt: '2026-03-12T16:40:00Z',
  updatedAt: '2026-03-12T16:40:00Z',
};

/** sampleChat after the user said `text` and the persona replied `reply` (status, error, its code and retry time as given). */
export function chatAfter(
  text: string,
  reply: string,
  status: Chat['turns'][number]['status'] = 'complete',
  error = '',
  errorCode = '',
  retryAt = '',
): Chat {
  return {
    ...sampleChat,
    turns: [
      ...sampleChat.turns,
      { id: 't2', role: 'user', text, status: 'complete', error: '', errorCode: '', retryAt: '', createdAt: '2026-03-12T16:41:00Z', chunks: 0 },
      { id: 't3', role: 'persona', text: reply, status, error, errorCode, retryAt, createdAt: '2026-03-12T16:41:01Z', chunks: 0 },
    ],
  };
}

export const sampleFeedback: Feedback = {
  overall: 74,
  clarity: { score: 80, evidence: 'You named the disagreement in one sentence.' },
  pace: { score: 70, evidence: 'Answers were a good length.' },
  confidence: { score: 55, evidence: '"I guess" softened your result.' },
  tone: { score: 85, evidence: 'Respectful about your manager throughout.' },
  relevance: { score: 78, evidence: 'You stayed on the question.' },
  structure: { score: 62, evidence: 'The result came before the action.' },
  highlights: [
    { quote: 'I booked a call with her the same day', comment: 'Shows initiative.' },
    { quote: 'I guess it went fine', comment: 'Undersells a real result.' },
  ],
  actionItems: ['Lead with the result.', 'Drop "I guess".', 'Give a number.'],
  betterVersion: {
    original: 'I guess it went fine in the end',
    improved: 'We shipped two weeks early and churn fell by 8%',
    why: 'A number makes the result concrete.',
  },
};

export const endedChat: Chat = {
  ...chatAfter('I booked a call with her the same day. I guess it went fine in the end', 'What was the result?'),
  ended: true,
  offline: sampleReview.report,
  feedback: sampleFeedback,
  aiStatus: 'ready',
  usage: { promptTokens: 900, candidatesTokens: 300, totalTokens: 1200 },
};

export const sampleTranslation: Translation = {
  phrase: 'With all due respect',
  perception: 'Heard as a warning that criticism is coming.',
  hiddenMeaning: 'I think you are wrong.',
  alternatives: [
    { text: 'I see it differently', when: 'In a meeting, to open a counterpoint.' },
    { text: 'Can I offer another angle?', when: 'With a senior person.' },
    { text: 'Here is a concern', when: 'In writing, to be direct.' },
  ],
  usage: { promptTokens: 50, candidatesTokens: 80, totalTokens: 130 },
};

export const usageOk: UsageStatus = { day: '2026-03-12', used: 12_000, budget: 50_000, warn: false, stop: false };
export const usageWarn: UsageStatus = { day: '2026-03-12', used: 41_000, budget: 50_000, warn: true, stop: false };
export const usageStop: UsageStatus = { day: '2026-03-12', used: 50_200, budget: 50_000, warn: true, stop: true };

export const queueIdle: QueueStatus = { pending: 0, done: 0, total: 0, running: false, current: '', error: '' };

export function reviewItem(r: Review): HistoryItem {
  return { kind: 'review', id: r.id, title: r.title, createdAt: r.createdAt, aiStatus: r.aiStatus, review: summaryOf(r) };
}

export function chatItem(c: Chat): HistoryItem {
  return {
    kind: 'chat',
    id: c.id,
    title: c.title,
    createdAt: c.createdAt,
    aiStatus: c.aiStatus,
    chat: {
      id: c.id,
      title: c.title,
      scenarioId: c.scenarioId,
      personaId: c.personaId,
      createdAt: c.createdAt,
      turns: c.turns.length,
      ended: c.ended,
      aiStatus: c.aiStatus,
      overall: c.feedback?.overall ?? 0,
      offlineOverall: c.offline?.scores.overall ?? 0,
    },
  };
}

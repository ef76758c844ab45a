// DTOs the Go side sends, mirroring the json tags in internal/analysis/report.go,
// internal/coach/review.go, internal/coach/ai.go, internal/document/document.go,
// app/system.go, app/practice.go and app/auth.go (internal/auth).
// Field names are the contract: keep them exactly as Go spells them.

/** What kind of issue a flag is (analysis.FlagKind). */
export type FlagKind =
  | 'filler'
  | 'hedge'
  | 'weasel'
  | 'passive'
  | 'jargon'
  | 'intensifier'
  | 'apology'
  | 'repeated'
  | 'shouting'
  | 'noninclusive'
  | 'long_sentence';

export const FLAG_KINDS: readonly FlagKind[] = [
  'filler',
  'hedge',
  'weasel',
  'passive',
  'jargon',
  'intensifier',
  'apology',
  'repeated',
  'shouting',
  'noninclusive',
  'long_sentence',
];

/** Counts follow textstat's definitions (analysis.Counts). */
export interface Counts {
  words: number;
  sentences: number;
  syllables: number;
  characters: number;
  letters: number;
  polysyllables: number;
  difficultWords: number;
  paragraphs: number;
}

/** The six readability formulas plus a plain-words grade (analysis.Readability). */
export interface Readability {
  fleschReadingEase: number;
  fleschKincaidGrade: number;
  gunningFog: number;
  smogIndex: number;
  colemanLiauIndex: number;
  automatedReadabilityIndex: number;
  plainGrade: string;
}

/** One bar of the sentence-length histogram (analysis.Bucket). */
export interface Bucket {
  label: string;
  count: number;
}

/**
 * A stretch of the text (analysis.Span). start/end are rune offsets (Go);
 * start16/end16 are UTF-16 code unit offsets, i.e. JavaScript string indexes.
 * End is exclusive.
 */
export interface Span {
  start: number;
  end: number;
  start16: number;
  end16: number;
}

/** How long the sentences are, in words (analysis.SentenceProfile). */
export interface SentenceProfile {
  count: number;
  meanWords: number;
  medianWords: number;
  longestWords: number;
  lengths: number[];
  histogram: Bucket[];
  long: Span[];
}

/** One highlighted stretch of text with what to do about it (analysis.Flag). */
export interface Flag extends Span {
  kind: FlagKind;
  text: string;
  message: string;
  suggestion: string;
}

/** 0–100 per dimension (analysis.Scores). */
export interface Scores {
  overall: number;
  clarity: number;
  concision: number;
  confidence: number;
  warmth: number;
}

/** One of the top changes to make, most valuable first (analysis.Change). */
export interface Change {
  title: string;
  detail: string;
  kind?: FlagKind;
  count: number;
}

/** Everything the offline coach says about one text (analysis.Report). */
export interface Report {
  version: number;
  counts: Counts;
  readability: Readability;
  sentences: SentenceProfile;
  flags: Flag[];
  scores: Scores;
  topChanges: Change[];
  wpm?: number;
  notes: string[];
  repairedUtf8: boolean;
}

/** Hybrid logical clock stamp (cara.HLC). */
export interface HLC {
  wall_ms: number;
  counter: number;
  node: string;
}

/** What to review and where it came from (coach.ReviewInput). */
export interface ReviewInput {
  title: string;
  text: string;
  /** "paste" or the file name the text came from. */
  source: string;
  /** True when the text came from a file whose invalid UTF-8 was replaced. */
  repaired?: boolean;
}

/** One saved review (coach.Review). createdAt is an RFC 3339 timestamp. */
export interface Review {
  id: string;
  title: string;
  text: string;
  source: string;
  createdAt: string;
  report: Report;
  /** Ask Cara's latest feedback and rewrite, once there is one. */
  ai?: ReviewAI;
  aiStatus: AIStatus;
  /** Why the AI part is pending or failed; "" otherwise. */
  aiError: string;
  /** aiError's code ("no_key", "budget", "gemini_key", "offline" …), "" when none. */
  aiErrorCode: string;
  /** When Gemini said to try again after a quota error (RFC 3339), "" when it didn't. */
  aiRetryAt: string;
  /** The mode last asked for ("" when never asked); kept while pending. */
  aiMode: RewriteMode | '';
  updated_hlc: HLC;
  deleted: boolean;
}

/** A review's History line (coach.ReviewSummary). */
export interface ReviewSummary {
  id: string;
  title: string;
  createdAt: string;
  words: number;
  flags: number;
  scores: Scores;
  aiStatus: AIStatus;
}

/** The reviewable text of an opened or dropped file (document.Text). */
export interface ImportedText {
  title: string;
  text: string;
  /** True when invalid UTF-8 was replaced with U+FFFD. */
  repaired: boolean;
}

/** This copy of Cara (app.AppInfo). */
export interface AppInfo {
  version: string;
  dataDir: string;
  os: string;
  /**
   * Why Cara could not start ("Cara is already running", a damaged data
   * file, a folder it cannot write to), or "" when it started. When set, Go
   * has bound only the System service.
   */
  startupError: string;
}

// --- accounts (app.Auth; internal/auth) ---

/** The signed-in person's public profile (auth.Account). createdAt is RFC 3339. */
export interface Account {
  id: string;
  email: string;
  name: string;
  role: string;
  createdAt: string;
}

/**
 * Who is signed in (app.AuthState). notice is non-empty once, when the OS
 * keychain could not be used: the app still works but cannot remember the
 * sign-in between launches.
 */
export type AuthState =
  | { signedIn: true; account: Account; notice: string }
  | { signedIn: false; account: null; notice: string };

/** What "Join Cara" sends (app.RegisterInput). role is free text and may be empty. */
export interface RegisterInput {
  email: string;
  name: string;
  role: string;
  password: string;
}

/** Password rule ids, in the order Go lists them (auth.Rule*). Newer Go may add others. */
export type PasswordRuleId =
  | 'min_length'
  | 'upper'
  | 'lower'
  | 'digit'
  | 'max_bytes'
  | 'not_common'
  | 'not_email'
  | (string & {});

/** One line of the live password checklist (auth.Rule). */
export interface PasswordRule {
  id: PasswordRuleId;
  message: string;
  ok: boolean;
}

/** One signed-in session of the account (auth.SessionInfo). Times are RFC 3339. */
export interface SessionInfo {
  id: string;
  device: string;
  createdAt: string;
  lastUsedAt: string;
  /** True for the session this copy of Cara is using. */
  current: boolean;
}

/** A Gemini model the saved key can use (aisettings.Model). */
export interface GeminiModel {
  id: string;
  displayName: string;
}

/**
 * The signed-in user's Gemini settings (aisettings.Status). The key itself
 * never crosses to the UI: only keyHint, e.g. "…abcd". models is filled by
 * setKey, models() and setModel; status() leaves it empty (no network call).
 */
export interface GeminiStatus {
  hasKey: boolean;
  keyHint: string;
  model: string;
  models: GeminiModel[];
}

// --- the AI side (internal/coach/ai.go, app/practice.go) ---

/**
 * Where a practice's AI feedback stands (coach.AI*): "" never asked;
 * "pending" waits for the queue (no key, offline, over budget); "running"
 * being fetched; "ready" there; "failed" refused, aiError says why.
 */
export type AIStatus = '' | 'pending' | 'running' | 'ready' | 'failed';

/** A workplace conversation to practise (coach.Scenario). */
export interface Scenario {
  id: string;
  title: string;
  /** One line for the picker. */
  description: string;
  /** What the user should achieve, shown during the chat. */
  goal: string;
  /** The persona's first line. */
  opening: string;
}

/** Who the user talks to (coach.Persona). */
export interface Persona {
  id: string;
  name: string;
  description: string;
}

/**
 * How much the user may send in one place, and what Go says past it
 * (coach.Limit). max is in characters (Unicode code points); 0 when Go
 * did not say, and then nothing is checked before Go does.
 */
export interface Limit {
  max: number;
  tooLong: string;
}

/** The practice's limits: one message, one context file (coach.Limits). */
export interface PracticeLimits {
  turn: Limit;
  context: Limit;
}

/** What the practice picker offers (coach.Catalog). */
export interface Catalog {
  scenarios: Scenario[];
  personas: Persona[];
  limits: PracticeLimits;
}

/** Background the user attached, e.g. a job description (coach.ContextDoc). */
export interface ContextDoc {
  name: string;
  text: string;
}

/** What Practice.Start takes (coach.StartInput). */
export interface StartChatInput {
  scenarioId: string;
  personaId: string;
  context?: ContextDoc;
}

export type TurnRole = 'user' | 'persona';

/**
 * complete: a whole reply (or any user turn); streaming: arriving now (found
 * later, Cara closed mid-reply); partial: stopped, cut off or failed mid-way,
 * text is what arrived; failed: no reply at all. Partial and failed offer Retry.
 */
export type TurnStatus = 'complete' | 'streaming' | 'partial' | 'failed';

/** One message of a chat (coach.Turn). */
export interface Turn {
  id: string;
  role: TurnRole;
  text: string;
  status: TurnStatus;
  /** Why a reply is partial or failed, for the user; "" otherwise. */
  error: string;
  /** The error's code ("no_key", "budget", "offline" …), "" when none. */
  errorCode: string;
  /** When Gemini said to try again after a quota error (RFC 3339), "" when it didn't. */
  retryAt: string;
  createdAt: string;
  /**
   * For a reply still streaming (a chat opened mid-reply): how many chunks
   * its text holds, so the chunk events that follow (ChatChunk.seq) continue
   * it without gaps or repeats. 0 otherwise.
   */
  chunks: number;
}

/** One scored aspect of the feedback (coach.Dimension). */
export interface Dimension {
  /** 0–100. */
  score: number;
  /** One sentence. */
  evidence: string;
}

/** The user's own words, and why they worked or didn't (coach.Highlight). */
export interface Highlight {
  quote: string;
  comment: string;
}

/** The weakest user turn, rewritten (coach.BetterVersion). */
export interface BetterVersion {
  original: string;
  improved: string;
  why: string;
}

/** The six scored aspects of a conversation, in display order. */
export const FEEDBACK_DIMENSIONS = ['clarity', 'pace', 'confidence', 'tone', 'relevance', 'structure'] as const;
export type FeedbackDimension = (typeof FEEDBACK_DIMENSIONS)[number];

/** Gemini's structured judgement of a finished chat (coach.Feedback). */
export type Feedback = { overall: number } & Record<FeedbackDimension, Dimension> & {
    highlights: Highlight[];
    /** Three, most useful first. */
    actionItems: string[];
    betterVersion: BetterVersion;
  };

/** Tokens spent, from Gemini's usageMetadata (coach.Usage). */
export interface Usage {
  promptTokens: number;
  candidatesTokens: number;
  totalTokens: number;
}

/** One role-play conversation and, once ended, its feedback (coach.Chat). */
export interface Chat {
  id: string;
  title: string;
  scenarioId: string;
  personaId: string;
  context?: ContextDoc;
  turns: Turn[];
  ended: boolean;
  /** The offline coach's report on the user's turns, made at End. */
  offline?: Report;
  feedback?: Feedback;
  aiStatus: AIStatus;
  aiError: string;
  /** aiError's code ("no_key", "budget", "gemini_key", "offline" …), "" when none. */
  aiErrorCode: string;
  /** When Gemini said to try again after a quota error (RFC 3339), "" when it didn't. */
  aiRetryAt: string;
  usage: Usage;
  createdAt: string;
  updatedAt: string;
}

/** A chat's History line (coach.ChatSummary). */
export interface ChatSummary {
  id: string;
  title: string;
  scenarioId: string;
  personaId: string;
  createdAt: string;
  turns: number;
  ended: boolean;
  aiStatus: AIStatus;
  /** 0 until feedback is ready. */
  overall: number;
  /** The offline coach's overall score of the user's turns, from End on; 0 before. */
  offlineOverall: number;
}

/** A History line of either kind (app.HistoryItem). */
export type HistoryItem =
  | { kind: 'review'; id: string; title: string; createdAt: string; aiStatus: AIStatus; review: ReviewSummary }
  | { kind: 'chat'; id: string; title: string; createdAt: string; aiStatus: AIStatus; chat: ChatSummary };

/** Ask Cara's modes: strict keeps the facts and fixes clarity, grammar and tone; creative restructures freely. */
export type RewriteMode = 'strict' | 'creative';

/** Ask Cara's feedback and rewrite of a review's text (coach.ReviewAI). */
export interface ReviewAI {
  mode: RewriteMode;
  /** Two or three sentences. */
  summary: string;
  /** Specific changes, most important first. */
  points: string[];
  rewrite: string;
  usage: Usage;
  model: string;
  createdAt: string;
}

/** One better way to say a phrase (coach.Alternative). */
export interface Alternative {
  text: string;
  /** When to use it. */
  when: string;
}

/** How a phrase lands in a US workplace (coach.Translation). */
export interface Translation {
  phrase: string;
  perception: string;
  hiddenMeaning: string;
  /** Three. */
  alternatives: Alternative[];
  usage: Usage;
}

/** Today's token use against the daily budget (coach.UsageStatus). */
export interface UsageStatus {
  /** Local date, YYYY-MM-DD. */
  day: string;
  used: number;
  budget: number;
  /** used ≥ 80 % of budget. */
  warn: boolean;
  /** used ≥ budget: AI calls are refused until tomorrow or a raise. */
  stop: boolean;
}

/** The offline queue's progress (coach.QueueStatus). */
export interface QueueStatus {
  /** Items waiting. */
  pending: number;
  /** Processed in the current run. */
  done: number;
  /** Items in the current run (0 when idle). */
  total: number;
  running: boolean;
  /** Title of the item being processed; "" when none. */
  current: string;
  /** Why the last run stopped (e.g. still offline); "" when it did not. */
  error: string;
}

/** A piece of a streamed reply (app.ChunkEvent, event "chat:chunk"). */
export interface ChatChunk {
  chatId: string;
  turnId: string;
  /** The new piece only. */
  text: string;
  /** The piece's number in its reply, from 1 (0: unknown). */
  seq: number;
  /** When Go received it, in ms since the epoch (with a fraction). */
  at: number;
}

// DTOs the Go side sends, mirroring the json tags in internal/analysis/report.go,
// internal/coach/review.go, internal/document/document.go, app/system.go and
// app/auth.go (internal/auth).
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
  updated_hlc: HLC;
  deleted: boolean;
}

/** A History line (coach.ReviewSummary). */
export interface ReviewSummary {
  id: string;
  title: string;
  createdAt: string;
  words: number;
  flags: number;
  scores: Scores;
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

// How each kind of flag is named and explained. Colours live in the
// stylesheet, keyed by data-kind.
import type { FlagKind } from '../api/types';

export interface KindInfo {
  label: string;
  /** One line on why it matters. */
  about: string;
}

export const KIND_INFO: Record<FlagKind, KindInfo> = {
  filler: { label: 'Filler words', about: 'Words that add length, not meaning.' },
  hedge: { label: 'Hedges', about: 'Softeners that make you sound unsure.' },
  weasel: { label: 'Weasel words', about: 'Vague words that dodge specifics.' },
  passive: { label: 'Passive voice', about: 'Hides who does what.' },
  jargon: { label: 'Jargon', about: 'Corporate speak with a plainer word.' },
  intensifier: { label: 'Intensifiers', about: 'Emphasis that weakens the point.' },
  apology: { label: 'Over-apologising', about: 'Apologies where none is needed.' },
  repeated: { label: 'Repeated words', about: 'The same word twice in a row.' },
  shouting: { label: 'Shouting', about: 'All caps or stacked !!! read as anger.' },
  noninclusive: { label: 'Non-inclusive terms', about: 'Words that can exclude people.' },
  long_sentence: { label: 'Long sentences', about: 'Over 30 words: hard to follow.' },
};

export function kindInfo(kind: string): KindInfo {
  return (KIND_INFO as Record<string, KindInfo | undefined>)[kind] ?? { label: kind, about: '' };
}

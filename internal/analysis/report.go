package analysis

// ReportVersion is bumped whenever a field's meaning changes, so stored
// reports can be told apart from fresh ones.
const ReportVersion = 1

// Report is everything the offline coach says about one text. Its JSON field
// names are the contract shared by the UI, the CLI (--json) and storage.
type Report struct {
	Version     int             `json:"version"`
	Counts      Counts          `json:"counts"`
	Readability Readability     `json:"readability"`
	Sentences   SentenceProfile `json:"sentences"`
	Flags       []Flag          `json:"flags"`
	Scores      Scores          `json:"scores"`
	TopChanges  []Change        `json:"topChanges"`
	// WPM is words per minute when a speaking duration was given (target 130–160).
	WPM *float64 `json:"wpm,omitempty"`
	// Notes are facts about the input the user should know, e.g. repaired UTF-8.
	Notes []string `json:"notes"`
	// RepairedUTF8 is true when invalid UTF-8 was replaced with U+FFFD before analysis.
	RepairedUTF8 bool `json:"repairedUtf8"`
}

// Counts follow textstat's definitions (see readability.go).
type Counts struct {
	Words          int `json:"words"`          // textstat lexicon_count
	Sentences      int `json:"sentences"`      // textstat sentence_count
	Syllables      int `json:"syllables"`      // textstat syllable_count
	Characters     int `json:"characters"`     // textstat char_count (no whitespace)
	Letters        int `json:"letters"`        // textstat letter_count (no whitespace, no punctuation)
	Polysyllables  int `json:"polysyllables"`  // words with ≥ 3 syllables
	DifficultWords int `json:"difficultWords"` // words (with repeats) of ≥ 3 syllables not on the Dale–Chall list
	Paragraphs     int `json:"paragraphs"`
}

// Readability holds the six formulas with textstat's definitions.
type Readability struct {
	FleschReadingEase    float64 `json:"fleschReadingEase"`
	FleschKincaidGrade   float64 `json:"fleschKincaidGrade"`
	GunningFog           float64 `json:"gunningFog"`
	SMOG                 float64 `json:"smogIndex"`
	ColemanLiau          float64 `json:"colemanLiauIndex"`
	AutomatedReadability float64 `json:"automatedReadabilityIndex"`
	PlainGrade           string  `json:"plainGrade"` // e.g. "easy for most adults"
}

// SentenceProfile describes how long the sentences are, in words.
type SentenceProfile struct {
	Count        int     `json:"count"`
	MeanWords    float64 `json:"meanWords"`
	MedianWords  float64 `json:"medianWords"`
	LongestWords int     `json:"longestWords"`
	// Lengths is the word count of each sentence in order (for the chart).
	Lengths []int `json:"lengths"`
	// Histogram buckets: 1–10, 11–20, 21–30, 31–40, 41+ words.
	Histogram []Bucket `json:"histogram"`
	// Long lists sentences over 30 words with their offsets.
	Long []Span `json:"long"`
}

// Bucket is one bar of the sentence-length histogram.
type Bucket struct {
	Label string `json:"label"`
	Count int    `json:"count"`
}

// Span is a stretch of the text. Start/End are rune offsets (Go, CLI);
// Start16/End16 are UTF-16 code unit offsets (JavaScript string indexes).
// End is exclusive.
type Span struct {
	Start   int `json:"start"`
	End     int `json:"end"`
	Start16 int `json:"start16"`
	End16   int `json:"end16"`
}

// FlagKind names a kind of issue the offline coach finds.
type FlagKind string

const (
	FlagFiller       FlagKind = "filler"
	FlagHedge        FlagKind = "hedge"
	FlagWeasel       FlagKind = "weasel"
	FlagPassive      FlagKind = "passive"
	FlagJargon       FlagKind = "jargon"
	FlagIntensifier  FlagKind = "intensifier"
	FlagApology      FlagKind = "apology"
	FlagRepeated     FlagKind = "repeated"
	FlagShouting     FlagKind = "shouting"
	FlagNonInclusive FlagKind = "noninclusive"
	// FlagLongSentence names a Change only: long sentences are not inline
	// flags (they would cover the flags inside them); see SentenceProfile.Long.
	FlagLongSentence FlagKind = "long_sentence"
)

// Flag is one highlighted stretch of text with what to do about it.
type Flag struct {
	Kind FlagKind `json:"kind"`
	Span
	Text       string `json:"text"`       // the flagged text exactly as written
	Message    string `json:"message"`    // what is wrong, in plain words
	Suggestion string `json:"suggestion"` // a concrete change, e.g. `Delete "just"`
}

// Scores are 0–100 per dimension (see scores.go for the formulas).
type Scores struct {
	Overall    int `json:"overall"`
	Clarity    int `json:"clarity"`
	Concision  int `json:"concision"`
	Confidence int `json:"confidence"`
	Warmth     int `json:"warmth"`
}

// Change is one of the top changes to make, most valuable first.
type Change struct {
	Title  string   `json:"title"`  // e.g. "Cut 4 filler words"
	Detail string   `json:"detail"` // why and how
	Kind   FlagKind `json:"kind,omitempty"`
	Count  int      `json:"count"`
}

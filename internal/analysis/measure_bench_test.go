package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchParagraph is used when the shared corpus is absent.
const benchParagraph = `Good morning! How are you doing today? I'd like to tell you about Save the Children, an international non-governmental organization that promotes children's rights, provides relief and helps support children in developing countries. Since 1919 it has raised funds through partners and donations — 9 out of every 10 dollars goes directly to programs. Would you consider donating part of your earnings from this task? Even $0.50 helps, and they're very transparent about how the money is spent.

Thanks so much for your time. I really appreciate it!!! 😊 `

// benchText builds about 1 MB of real text: the corpus dialogues when the
// shared reference file is present, else benchParagraph repeated.
func benchText(b *testing.B) string {
	b.Helper()
	var sb strings.Builder
	path := sharedPath(b, filepath.Join("shared", "corpora", "persuasionforgood", "readability-reference.jsonl"))
	if _, err := os.Stat(path); err == nil {
		for _, r := range loadReference(b) {
			sb.WriteString(r.Text)
			sb.WriteString("\n\n")
		}
	} else {
		b.Logf("benchmarking on a built-in paragraph: %v", err)
		sb.WriteString(benchParagraph)
	}
	unit := sb.String()
	sb.Reset()
	for sb.Len() < 1<<20 {
		sb.WriteString(unit)
	}
	return sb.String()
}

// BenchmarkMeasure times measure alone (counts, readability, profile).
func BenchmarkMeasure(b *testing.B) {
	text := benchText(b)
	idx := newOffsetIndex(text)
	cmuDict()
	easyWords()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		measure(text, idx)
	}
}

// BenchmarkMeasureWithIndex includes building the offset index, as Analyze does.
func BenchmarkMeasureWithIndex(b *testing.B) {
	text := benchText(b)
	cmuDict()
	easyWords()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		measure(text, newOffsetIndex(text))
	}
}

// BenchmarkMeasureUnknownWords is the worst case for the syllable estimator:
// every word is missing from the dictionary.
func BenchmarkMeasureUnknownWords(b *testing.B) {
	var sb strings.Builder
	words := []string{"absolutelythat", "nongovermental", "qwzrtplkmnbvcxzasdfghjklpoiuytrewq", "childrenthey", "xyzzyplugh", "donatingwould", "gelpibg"}
	for i := 0; sb.Len() < 1<<20; i++ {
		sb.WriteString(words[i%len(words)])
		if i%12 == 11 {
			sb.WriteString(". ")
		} else {
			sb.WriteByte(' ')
		}
	}
	text := sb.String()
	idx := newOffsetIndex(text)
	cmuDict()
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		measure(text, idx)
	}
}

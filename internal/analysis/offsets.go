package analysis

import "unicode/utf8"

// offsetIndex converts byte offsets in a text to rune and UTF-16 offsets.
// Go slices strings by byte; the CLI reports runes; JavaScript indexes UTF-16
// code units, so an emoji counts 1 rune but 2 UTF-16 units.
type offsetIndex struct {
	// runeAt[i] and u16At[i] give the offsets of byte i (valid at rune starts
	// and at len(text)).
	runeAt []int32
	u16At  []int32
}

func newOffsetIndex(text string) *offsetIndex {
	n := len(text)
	idx := &offsetIndex{runeAt: make([]int32, n+1), u16At: make([]int32, n+1)}
	var r, u int32
	for i := 0; i < n; {
		ch, size := utf8.DecodeRuneInString(text[i:])
		for k := 0; k < size; k++ {
			idx.runeAt[i+k] = r
			idx.u16At[i+k] = u
		}
		r++
		if ch >= 0x10000 {
			u += 2
		} else {
			u++
		}
		i += size
	}
	idx.runeAt[n] = r
	idx.u16At[n] = u
	return idx
}

// span builds a Span from byte offsets [start, end).
func (x *offsetIndex) span(start, end int) Span {
	return Span{
		Start:   int(x.runeAt[start]),
		End:     int(x.runeAt[end]),
		Start16: int(x.u16At[start]),
		End16:   int(x.u16At[end]),
	}
}

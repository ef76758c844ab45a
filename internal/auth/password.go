package auth

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Password limits. Lengths count characters (runes) after NFKC; the upper
// limit counts bytes, because bcrypt silently ignores everything after the
// 72nd byte: a longer password is rejected, never truncated.
const (
	MinPasswordRunes = 8
	MaxPasswordBytes = 72
)

// Password rule IDs, in checklist order.
const (
	RuleMinLength = "min_length"
	RuleUpper     = "upper"
	RuleLower     = "lower"
	RuleDigit     = "digit"
	RuleMaxBytes  = "max_bytes"
	RuleNotCommon = "not_common"
	RuleNotEmail  = "not_email"
)

// Rule messages. The first four are the seed's, word for word.
const (
	MsgMinLength = "Password must be at least 8 characters"
	MsgUpper     = "Password must contain at least one uppercase letter"
	MsgLower     = "Password must contain at least one lowercase letter"
	MsgDigit     = "Password must contain at least one number"
	MsgMaxBytes  = "Password must be at most 72 bytes"
	MsgNotCommon = "Password is too common"
	// MsgSamePassword answers a password change to the password already in use.
	MsgSamePassword = "New password must be different from the current one"
	MsgNotEmail     = "Password must not contain your email address"
)

// Rule is one line of the password checklist.
type Rule struct {
	ID      string `json:"id"`
	Message string `json:"message"`
	OK      bool   `json:"ok"`
}

// PasswordChecklist checks password against every rule and returns them all,
// in display order, with OK set on those it meets, so the UI can show a live
// checklist built from the same rules Register and ChangePassword apply.
// email may be empty or not yet valid; the e-mail rule is then judged on
// what there is (and passes when the local part is shorter than 3
// characters).
func PasswordChecklist(password, email string) []Rule {
	p := normPassword(password)
	var upper, lower, digit bool
	for _, r := range p {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		}
	}
	folded := strings.ToLower(p)
	local := emailLocalPart(email)
	containsEmail := utf8.RuneCountInString(local) >= minLocalForMatch &&
		(strings.Contains(folded, local) || strings.Contains(withoutSeparators(folded), withoutSeparators(local)))
	return []Rule{
		{RuleMinLength, MsgMinLength, utf8.RuneCountInString(p) >= MinPasswordRunes},
		{RuleUpper, MsgUpper, upper},
		{RuleLower, MsgLower, lower},
		{RuleDigit, MsgDigit, digit},
		{RuleMaxBytes, MsgMaxBytes, len(p) <= MaxPasswordBytes},
		{RuleNotCommon, MsgNotCommon, !isCommonPassword(folded)},
		{RuleNotEmail, MsgNotEmail, !containsEmail},
	}
}

// CheckPassword returns the rules password breaks (nil if it is acceptable).
func CheckPassword(password, email string) []Rule {
	var failed []Rule
	for _, r := range PasswordChecklist(password, email) {
		if !r.OK {
			failed = append(failed, r)
		}
	}
	return failed
}

// checkPassword applies the policy: a *PolicyError listing every broken
// rule, or nil.
func checkPassword(password, email string) error {
	if failed := CheckPassword(password, email); len(failed) > 0 {
		return newPolicyError(failed)
	}
	return nil
}

// commonPasswordsGz is the zxcvbn 30,000-password frequency list, lower-cased
// and sorted (scripts/gen-common-passwords.mjs).
//
//go:embed data/common-passwords.txt.gz
var commonPasswordsGz []byte

// commonPasswords decompresses the list once, on first use; it is immutable
// afterwards.
var commonPasswords = sync.OnceValue(func() []string {
	zr, err := gzip.NewReader(bytes.NewReader(commonPasswordsGz))
	if err != nil {
		panic("auth: embedded common-password list is corrupt: " + err.Error())
	}
	list := make([]string, 0, 30000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if w := sc.Text(); w != "" {
			list = append(list, w)
		}
	}
	if err := sc.Err(); err != nil {
		panic("auth: embedded common-password list is corrupt: " + err.Error())
	}
	if !sort.StringsAreSorted(list) {
		sort.Strings(list)
	}
	return list
})

// CommonPasswordCount is the number of passwords in the bundled list.
func CommonPasswordCount() int { return len(commonPasswords()) }

// isCommonPassword reports whether the lower-cased password, or the common
// word it dresses up, is in the list: "Password123!", "P@ssw0rd" and
// "$ecret2024" are as guessable as "password" and "secret", since cracking
// tools try those decorations first.
func isCommonPassword(folded string) bool {
	if inCommonList(folded) {
		return true
	}
	for _, b := range passwordBases(folded) {
		if utf8.RuneCountInString(b) >= minCommonBase && inCommonList(b) {
			return true
		}
	}
	return false
}

func inCommonList(w string) bool {
	list := commonPasswords()
	i := sort.SearchStrings(list, w)
	return i < len(list) && list[i] == w
}

// minCommonBase is the shortest base checked: a shorter one ("Xy7!" → "xy")
// would match some list entry far too often.
const minCommonBase = 4

// leet undoes the common character-for-letter swaps. '1' stands for 'i' or
// 'l', so passwordBases tries both.
var leet = map[rune]rune{'@': 'a', '4': 'a', '0': 'o', '3': 'e', '5': 's', '$': 's', '7': 't', '1': 'i'}

// passwordBases returns the bases of a lower-cased password: digits and
// symbols stripped from both ends, then leetspeak undone. A leading leet
// character may be a letter ("$ecret", "@dmin"), so a second base keeps it.
func passwordBases(folded string) []string {
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	core := strings.TrimFunc(folded, notLetter)
	cores := []string{core}
	if kept := strings.TrimLeftFunc(strings.TrimRightFunc(folded, notLetter), func(r rune) bool {
		_, isLeet := leet[r]
		return notLetter(r) && !isLeet
	}); kept != core {
		cores = append(cores, kept)
	}
	var bases []string
	for _, c := range cores {
		bases = append(bases, unLeet(c)...)
	}
	return bases
}

// unLeet undoes leetspeak in s, every way its '1's can be read (i or l)
// when there are up to 4 of them, else as all i and as all l.
func unLeet(s string) []string {
	plain := []rune(strings.Map(func(r rune) rune {
		if l, ok := leet[r]; ok {
			return l
		}
		return r
	}, s))
	var ones []int // where '1' was (Map kept one rune per rune)
	for i, r := range []rune(s) {
		if r == '1' {
			ones = append(ones, i)
		}
	}
	if len(ones) > 4 {
		allL := slices.Clone(plain)
		for _, i := range ones {
			allL[i] = 'l'
		}
		return []string{string(plain), string(allL)}
	}
	out := make([]string, 0, 1<<len(ones))
	for v := range 1 << len(ones) {
		b := slices.Clone(plain)
		for bit, i := range ones {
			if v>>bit&1 == 1 {
				b[i] = 'l'
			}
		}
		out = append(out, string(b))
	}
	return out
}

// withoutSeparators drops the characters people put between the parts of an
// email's local part (".", "_", "-", "+"), so "qa.tester" is found in
// "Qatester2024" too.
func withoutSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '.', '_', '-', '+':
			return -1
		}
		return r
	}, s)
}

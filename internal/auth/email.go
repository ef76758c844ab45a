package auth

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits on account fields.
const (
	MaxEmailBytes    = 254 // RFC 5321 path limit, in bytes after normalisation
	maxLocalBytes    = 64
	MaxNameRunes     = 100
	MaxRoleRunes     = 100
	maxDeviceRunes   = 100
	minLocalForMatch = 3 // a shorter local part is not checked in passwords
)

// Messages for account fields other than the password.
const (
	msgEmailRequired = "Email is required"
	msgEmailInvalid  = "Enter a valid email address"
	msgEmailTooLong  = "Email must be at most 254 characters"
	msgEmailChars    = "Email contains invisible or control characters"
	msgNameRequired  = "Name is required"
	msgNameTooLong   = "Name must be at most 100 characters"
	msgNameChars     = "Name contains invisible or control characters"
	msgRoleTooLong   = "Role must be at most 100 characters"
	msgRoleChars     = "Role contains invisible or control characters"
)

// NormalizeEmail returns the canonical form of an e-mail address: trimmed,
// NFKC-normalised and lower-cased, so "Bob@X.com", "bob@x.COM" and
// "ＢＯＢ@x.com" (full-width) are one account. It rejects control,
// zero-width and bidi characters, addresses over 254 bytes and anything that
// is not local@domain.tld. Errors are *cara.Error with Code cara.EINVALID.
func NormalizeEmail(email string) (string, error) {
	e := strings.TrimSpace(email)
	if e == "" {
		return "", invalid(msgEmailRequired)
	}
	if len(e) > 4*MaxEmailBytes { // don't normalise megabytes
		return "", invalid(msgEmailTooLong)
	}
	if !utf8.ValidString(e) || hasHiddenChars(e) {
		return "", invalid(msgEmailChars)
	}
	// Lower-casing can (rarely) leave a string that NFKC changes again, so
	// normalise on both sides: the result is a fixed point.
	e = norm.NFKC.String(strings.ToLower(norm.NFKC.String(e)))
	e = strings.TrimSpace(e) // NFKC can turn e.g. U+3000 into a space
	if hasHiddenChars(e) {
		return "", invalid(msgEmailChars)
	}
	if len(e) > MaxEmailBytes {
		return "", invalid(msgEmailTooLong)
	}
	if !validEmailSyntax(e) {
		return "", invalid(msgEmailInvalid)
	}
	return e, nil
}

// hasHiddenChars reports, for e-mail addresses, any character that is not
// a letter, mark, number, punctuation, symbol or space separator: control
// characters (Cc: NUL, newline, DEL …), format characters (Cf: zero-width
// space and joiners, BOM, soft hyphen, bidi marks, embeddings, overrides and
// isolates), surrogates, private-use and unassigned code points; also line
// and paragraph separators, U+FFFD (what invalid UTF-8 decodes to) and the
// invisible Hangul fillers.
func hasHiddenChars(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || isFiller(r) || unicode.In(r, unicode.Zl, unicode.Zp) ||
			!unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z) {
			return true
		}
	}
	return false
}

// hasUnsafeChars is the looser check for names, roles and device labels:
// control characters, bidi controls (which can make a label read backwards),
// line separators, the BOM, surrogates, private-use and unassigned code
// points. Zero-width (non-)joiners stay allowed: Persian and Indic names and
// emoji sequences need them.
func hasUnsafeChars(s string) bool {
	for _, r := range s {
		switch {
		case r == utf8.RuneError, r == 0xFEFF, isFiller(r), isBidiControl(r),
			unicode.In(r, unicode.Cc, unicode.Co, unicode.Cs, unicode.Zl, unicode.Zp),
			!unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cf):
			return true
		}
	}
	return false
}

func isFiller(r rune) bool {
	return r == 0x115F || r == 0x1160 || r == 0x3164 || r == 0xFFA0
}

// isBidiControl: LRM, RLM, ALM, LRE…RLO, LRI…PDI.
func isBidiControl(r rune) bool {
	return r == 0x200E || r == 0x200F || r == 0x061C ||
		(r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// validEmailSyntax is a deliberately basic check of a normalised address:
// one "@", a non-empty local part of at most 64 bytes without spaces or
// RFC 5322 specials, dots not leading, trailing or doubled, and a domain of
// at least two dot-separated labels of letters, digits and inner hyphens
// (Unicode letters allowed, for internationalised domains).
func validEmailSyntax(e string) bool {
	at := strings.IndexByte(e, '@')
	if at <= 0 || at != strings.LastIndexByte(e, '@') {
		return false
	}
	local, domain := e[:at], e[at+1:]
	if len(local) > maxLocalBytes || !dotAtom(local) {
		return false
	}
	for _, r := range local {
		if unicode.IsSpace(r) || strings.ContainsRune(`()<>[]\,;:"`, r) {
			return false
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.M, r) {
				return false
			}
		}
	}
	// The top-level domain is never all digits (that would be an IP).
	tld := labels[len(labels)-1]
	return strings.IndexFunc(tld, func(r rune) bool { return !unicode.IsDigit(r) }) >= 0
}

func dotAtom(s string) bool {
	return s != "" && s[0] != '.' && s[len(s)-1] != '.' && !strings.Contains(s, "..")
}

// emailLocalPart is the lower-cased part before the last "@" of a possibly
// un-normalised address, for the "doesn't contain your e-mail" rule.
func emailLocalPart(email string) string {
	e := strings.ToLower(norm.NFKC.String(strings.TrimSpace(email)))
	if at := strings.LastIndexByte(e, '@'); at >= 0 {
		return e[:at]
	}
	return e
}

// cleanText trims and NFC-normalises a free-text field (name, role, device)
// and checks its length in characters and its characters.
func cleanText(s string, max int, tooLong, badChars string) (string, error) {
	s = strings.TrimSpace(norm.NFC.String(s))
	if !utf8.ValidString(s) || hasUnsafeChars(s) {
		return "", invalid(badChars)
	}
	if utf8.RuneCountInString(s) > max {
		return "", invalid(tooLong)
	}
	return s, nil
}

// cleanDevice makes a device label safe to show: hidden characters dropped,
// whitespace collapsed, cut to 100 characters. It never fails.
func cleanDevice(s string) string {
	s = strings.Map(func(r rune) rune {
		if hasUnsafeChars(string(r)) {
			if unicode.IsSpace(r) {
				return ' '
			}
			return -1
		}
		return r
	}, norm.NFC.String(s))
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxDeviceRunes {
		s = string([]rune(s)[:maxDeviceRunes])
	}
	if s == "" {
		return "Unknown device"
	}
	return s
}

// RoleSuggestions are offered under the free-text role field.
func RoleSuggestions() []string {
	return []string{
		"Software Engineer", "Engineering Manager", "Product Manager", "Designer",
		"Data Scientist", "Sales", "Marketing", "Customer Success", "Consultant",
		"Researcher", "Founder", "Student",
	}
}

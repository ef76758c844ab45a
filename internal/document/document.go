// Package document turns a file a person opened or dropped (.txt, .md, .eml)
// into the plain text Cara reviews.
package document

import (
	"bytes"
	"encoding/base64"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/cara-coach/cara/internal/cara"
)

// MaxFileBytes bounds what Cara reads from a text file: 200,000 characters
// of UTF-8 are at most 800,000 bytes. MaxEmailBytes is larger because an
// email carries attachments Cara skips.
const (
	MaxFileBytes  = 4 << 20
	MaxEmailBytes = 32 << 20
)

// Text is the reviewable text of a file.
type Text struct {
	Title string `json:"title"`
	Body  string `json:"text"`
	// Repaired is true when invalid UTF-8 was replaced.
	Repaired bool `json:"repaired"`
}

var errNotText = cara.Errorf(cara.ENOTTEXT, "This file doesn't look like text")

// Extract returns the text of a file named name with content data.
func Extract(name string, data []byte) (Text, error) {
	isEmail := strings.EqualFold(filepath.Ext(name), ".eml")
	title := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 BOM
	// Binary first: a big photo is "not text", not "too long".
	if looksBinary(data) {
		return Text{}, errNotText
	}
	if len(data) > MaxEmailBytes || !isEmail && len(data) > MaxFileBytes {
		return Text{}, cara.Errorf(cara.ETOOLARGE, "Text is too long (max 200,000 characters)")
	}
	body := string(data)
	if isEmail {
		subject, text, err := emailBody(data)
		if err != nil {
			return Text{}, err
		}
		if strings.TrimSpace(text) == "" {
			return Text{}, cara.Errorf(cara.EEMPTY, "This email has no text to review (only attachments, or it was cut off)")
		}
		body = text
		if subject != "" {
			title = subject
		}
	}
	body = strings.ReplaceAll(body, "\r\n", "\n")
	t := Text{Title: strings.ToValidUTF8(title, "\uFFFD"), Body: body}
	if !utf8.ValidString(t.Body) {
		t.Body = strings.ToValidUTF8(t.Body, "\uFFFD")
		t.Repaired = true
	}
	return t, nil
}

// looksBinary reports content that is not text: NUL bytes, or many control
// characters, in the first 8 KiB (the heuristic file(1) and git use).
func looksBinary(data []byte) bool {
	head := data
	if len(head) > 8192 {
		head = head[:8192]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	control := 0
	for _, b := range head {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' {
			control++
		}
	}
	return len(head) > 0 && control*100 > len(head)*2
}

// emailBody decodes an RFC 5322 message: its subject and the first text/plain
// part (or text/html with tags stripped when there is no plain part).
func emailBody(data []byte) (subject, text string, err error) {
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return "", "", cara.Errorf(cara.ENOTTEXT, "This email file couldn't be read — is it a complete .eml message?")
	}
	dec := new(mime.WordDecoder)
	subject, derr := dec.DecodeHeader(msg.Header.Get("Subject"))
	if derr != nil {
		subject = msg.Header.Get("Subject")
	}
	plain, htmlText, err := readPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, 0)
	if err != nil {
		return "", "", err
	}
	if plain == "" && htmlText != "" {
		plain = stripHTML(htmlText)
	}
	return subject, plain, nil
}

// readPart walks a MIME entity and returns its first text/plain and text/html
// bodies, decoded.
func readPart(contentType, encoding string, body io.Reader, depth int) (plain, htmlText string, err error) {
	if depth > 8 {
		return "", "", nil
	}
	mediaType, params, perr := mime.ParseMediaType(contentType)
	if perr != nil || contentType == "" {
		mediaType = "text/plain"
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, nerr := mr.NextPart()
			if nerr == io.EOF {
				break
			}
			if nerr != nil {
				return plain, htmlText, nil // keep what we have from a truncated message
			}
			pp, ph, _ := readPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, depth+1)
			if plain == "" {
				plain = pp
			}
			if htmlText == "" {
				htmlText = ph
			}
		}
		return plain, htmlText, nil
	}
	if mediaType != "text/plain" && mediaType != "text/html" {
		return "", "", nil
	}
	raw, rerr := io.ReadAll(decodeTransfer(encoding, body))
	if rerr != nil {
		return "", "", cara.Errorf(cara.ENOTTEXT, "This email's text couldn't be decoded")
	}
	text := toUTF8(raw, params["charset"])
	if mediaType == "text/html" {
		return "", text, nil
	}
	return text, "", nil
}

func decodeTransfer(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &stripNewlines{r: r})
	default:
		return r
	}
}

// stripNewlines drops CR and LF so base64 bodies wrapped at 76 columns decode.
type stripNewlines struct{ r io.Reader }

func (s *stripNewlines) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	j := 0
	for _, b := range p[:n] {
		if b != '\r' && b != '\n' {
			p[j] = b
			j++
		}
	}
	return j, err
}

// toUTF8 decodes a body in the charset its Content-Type names (any IANA or
// WHATWG name: windows-1252, koi8-r, shift_jis, iso-2022-jp, utf-16 …).
// Unknown charsets and UTF-8 pass through; invalid bytes are repaired later.
func toUTF8(raw []byte, charset string) string {
	charset = strings.ToLower(strings.TrimSpace(charset))
	if charset == "" || charset == "utf-8" || charset == "us-ascii" || charset == "utf8" {
		return string(raw)
	}
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return string(raw)
	}
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return string(raw)
	}
	return string(out)
}

// hiddenHTML are elements whose text a reader never sees.
var hiddenHTML = map[string]bool{"style": true, "script": true, "title": true, "head": true}

// stripHTML keeps the text of an HTML body: tags dropped, block ends as
// newlines, the few common entities decoded.
func stripHTML(s string) string {
	var b strings.Builder
	inTag := false
	skipping := "" // inside <style>, <script>, <title> or <head>: drop the text until its end tag
	var tag strings.Builder
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
			tag.Reset()
		case r == '>' && inTag:
			inTag = false
			if raw := strings.ToLower(strings.TrimSpace(tag.String())); skipping != "" {
				if strings.HasPrefix(raw, "/"+skipping) {
					skipping = ""
				}
				continue
			} else if f := strings.Fields(raw); len(f) > 0 && hiddenHTML[strings.TrimSuffix(f[0], "/")] && !strings.HasSuffix(raw, "/") {
				skipping = strings.TrimSuffix(f[0], "/")
				continue
			}
			raw, name := tag.String(), ""
			if f := strings.Fields(raw); len(f) > 0 {
				name = strings.ToLower(strings.Trim(f[0], "/"))
			}
			closing := strings.HasPrefix(raw, "/")
			if name == "br" || closing && (name == "p" || name == "div" || name == "li" || name == "tr") {
				b.WriteByte('\n')
			}
		case inTag:
			tag.WriteRune(r)
		case skipping != "":
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(html.UnescapeString(b.String()))
}

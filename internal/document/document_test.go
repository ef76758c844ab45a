package document

import (
	"strings"
	"testing"

	"github.com/cara-coach/cara/internal/cara"
)

func TestExtract(t *testing.T) {
	multipartEmail := strings.Join([]string{
		"From: Ana <ana@example.com>",
		"To: Bo <bo@example.com>",
		"Subject: =?UTF-8?Q?Quick_update_=E2=80=94_launch?=",
		"MIME-Version: 1.0",
		`Content-Type: multipart/alternative; boundary="b1"`,
		"",
		"--b1",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		"Hi Bo,=0A=0AI just wanted to say the launch went well =E2=80=94 thanks!",
		"--b1",
		"Content-Type: text/html; charset=utf-8",
		"",
		"<p>Hi Bo</p>",
		"--b1--",
		"",
	}, "\r\n")
	htmlOnly := "Subject: Notes\r\nContent-Type: text/html\r\n\r\n<p>First&nbsp;line</p><div>Second &amp; last</div>"
	base64Email := "Subject: B64\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nSGVsbG8gdGVh\r\nbSE=\r\n"
	latin1Email := "Subject: Caf\xe9\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nCaf\xe9 au lait"

	tests := []struct {
		name, file, data    string
		wantTitle, wantBody string
		wantRepaired        bool
		wantCode            string
	}{
		{name: "plain text", file: "notes.txt", data: "Hello team.\r\nSee you.", wantTitle: "notes", wantBody: "Hello team.\nSee you."},
		{name: "markdown with BOM", file: "a/b/pitch.md", data: "\xef\xbb\xbf# Pitch\n\nWe grow.", wantTitle: "pitch", wantBody: "# Pitch\n\nWe grow."},
		{name: "multipart email, quoted-printable, encoded subject", file: "mail.eml", data: multipartEmail,
			wantTitle: "Quick update — launch", wantBody: "Hi Bo,\n\nI just wanted to say the launch went well — thanks!"},
		{name: "html-only email", file: "x.EML", data: htmlOnly, wantTitle: "Notes", wantBody: "First\u00a0line\nSecond & last"},
		{name: "base64 email", file: "b.eml", data: base64Email, wantTitle: "B64", wantBody: "Hello team!"},
		{name: "latin-1 email body", file: "c.eml", data: latin1Email, wantTitle: "Caf\uFFFD", wantBody: "Café au lait"},
		{name: "windows-1252 quotes and dashes", file: "w.eml", data: "Subject: Q\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\nIt\x92s \x93quoted\x94 \x96 a dash\x85",
			wantTitle: "Q", wantBody: "It’s “quoted” – a dash…"},
		{name: "windows-1251 Russian", file: "r.eml", data: "Subject: R\r\nContent-Type: text/plain; charset=windows-1251\r\n\r\n\xcf\xf0\xe8\xe2\xe5\xf2",
			wantTitle: "R", wantBody: "Привет"},
		{name: "html email drops style, script and title", file: "h.eml",
			data:      "Subject: H\r\nContent-Type: text/html\r\n\r\n<html><head><title>T</title><style>p{color:red}</style></head><body><p>Hi team,</p><script>var x = 1</script><p>Done.</p></body></html>",
			wantTitle: "H", wantBody: "Hi team,\nDone."},
		{name: "email with only an attachment", file: "a.eml",
			data:     "Subject: A\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--x--\r\n",
			wantCode: cara.EEMPTY},
		{name: "big email with a small text and a large attachment", file: "big.eml",
			data: "Subject: Big\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nSee the photo.\r\n--x\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3\r\n", 60_000) + "--x--\r\n",
			wantTitle: "Big", wantBody: "See the photo."},
		{name: "big binary file is not text, not too long", file: "photo.txt", data: "\xff\xd8\xff\xe0\x00\x10JFIF" + strings.Repeat("\x00\x01", 3<<20), wantCode: cara.ENOTTEXT},
		{name: "invalid UTF-8 is repaired", file: "bad.txt", data: "ok \xff\xfe then", wantTitle: "bad", wantBody: "ok \uFFFD then", wantRepaired: true},
		{name: "NUL bytes are binary", file: "x.txt", data: "PK\x03\x04\x00\x00binary", wantCode: cara.ENOTTEXT},
		{name: "control-heavy data is binary", file: "x.txt", data: strings.Repeat("\x01\x02\x03a", 50), wantCode: cara.ENOTTEXT},
		{name: "broken email", file: "x.eml", data: "not an email at all", wantCode: cara.ENOTTEXT},
		{name: "too large", file: "big.txt", data: strings.Repeat("a", MaxFileBytes+1), wantCode: cara.ETOOLARGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Extract(tt.file, []byte(tt.data))
			if tt.wantCode != "" {
				if code := cara.ErrorCode(err); code != tt.wantCode {
					t.Fatalf("got error %v (code %q), want code %q", err, code, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got.Title != tt.wantTitle {
				t.Errorf("got title %q, want %q", got.Title, tt.wantTitle)
			}
			if got.Body != tt.wantBody {
				t.Errorf("got body %q, want %q", got.Body, tt.wantBody)
			}
			if got.Repaired != tt.wantRepaired {
				t.Errorf("got repaired %v, want %v", got.Repaired, tt.wantRepaired)
			}
		})
	}
}

func TestNotTextMessage(t *testing.T) {
	_, err := Extract("photo.txt", []byte{0x89, 'P', 'N', 'G', 0, 0, 0})
	if got, want := cara.ErrorMessage(err), "This file doesn't look like text"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

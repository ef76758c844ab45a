package geminitest

import (
	"fmt"
	"regexp"
	"strings"
)

// chatFollowUps are the conversational replies, taken in turn as the chat
// goes on; %s is a short quote of the user's last message.
var chatFollowUps = []string{
	"Thanks, that's a clear start. You said %s. Can you give me one concrete example of what that looked like?",
	"I see. When you say %s, what result did that lead to? Numbers help if you have them.",
	"That makes sense. If you had to put %s into one sentence for a busy executive, how would you say it?",
	"Fair enough. Taking %s as the starting point, what would you do differently next time?",
	"Understood. What's the main risk you see with %s, and how would you handle it?",
	"Good. To wrap up %s, what exactly are you asking me to do, and by when?",
}

// chatShort answers a message too short to respond to.
const chatShort = "Could you say a bit more? A full sentence or two helps me understand what you mean."

// chatOpening answers a request without any user text.
const chatOpening = "Hello! Tell me a little about yourself and what you'd like to talk about today."

var magicWordRe = regexp.MustCompile(`\[\[[^\]]*\]\]`)

// chatReply is the Conversational reply to the user's turn number turn
// (1-based) with text: it follows up on what they said, in turn through
// chatFollowUps, so a chat reads like a real exchange and stays repeatable.
func chatReply(turn int, text string) string {
	text = strings.TrimSpace(magicWordRe.ReplaceAllString(text, ""))
	words := strings.Fields(text)
	switch {
	case len(words) == 0:
		return chatOpening
	case len(words) < 3:
		return chatShort
	}
	return fmt.Sprintf(chatFollowUps[max(turn-1, 0)%len(chatFollowUps)], snippet(text))
}

// snippet quotes the start of the first sentence of text, at most eight
// words, without its final punctuation.
func snippet(text string) string {
	first := text
	if ss := sentences(text); len(ss) > 0 {
		first = ss[0]
	}
	words := strings.Fields(first)
	cut := len(words) > 8
	if cut {
		words = words[:8]
	}
	s := strings.TrimRight(strings.Join(words, " "), ".,;:!? ")
	if cut {
		s += "…"
	}
	return "“" + s + "”"
}

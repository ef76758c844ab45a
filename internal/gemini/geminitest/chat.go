package geminitest

import (
	"fmt"
	"regexp"
	"strings"
)

// chatFollowUps are the conversational replies of each kind of partner,
// taken in turn as the chat goes on; %s is a short quote of the user's last
// message. The neutral ones answer when the instructions name no manner.
var chatFollowUps = map[string][]string{
	"neutral": {
		"Thanks, that's a clear start. You said %s. Can you give me one concrete example of what that looked like?",
		"I see. When you say %s, what result did that lead to? Numbers help if you have them.",
		"That makes sense. If you had to put %s into one sentence for a busy executive, how would you say it?",
		"Fair enough. Taking %s as the starting point, what would you do differently next time?",
		"Understood. What's the main risk you see with %s, and how would you handle it?",
		"Good. To wrap up %s, what exactly are you asking me to do, and by when?",
	},
	"skeptic": {
		"Hm. You said %s. That's a claim, not evidence — give me one concrete example.",
		"I'm not convinced yet. When you say %s, what exactly did you do, and what changed because of it?",
		"Numbers, please. %s — how much, how fast, compared with what?",
		"Let me push back on %s. Why should I believe that would work here?",
		"Nobody's record is spotless. What about %s didn't go to plan?",
		"Fine. Boil %s down for me: what exactly are you asking me to agree to?",
	},
	"ally": {
		"Oh, that's great to hear! I like that you said %s. Tell me more — what did that look like?",
		"Nice. %s sounds like it took real effort. How did it turn out?",
		"I'm with you on %s. How would you put that in one sentence for your manager?",
		"That makes a lot of sense. Building on %s, what would you try next time?",
		"Love it. Is there anything about %s you'd like a hand with?",
		"This has been really helpful. To wrap up %s, what's the one thing you'd like me to do?",
	},
	"executive": {
		"Okay. %s — and the bottom line?",
		"Keep it short: what did %s get us?",
		"I have two minutes. On %s, what decision do you need from me?",
		"What's the biggest risk with %s? One sentence.",
		"Got it. What do you need from me on %s, and by when?",
		"Good. Anything else on %s, or are we done?",
	},
}

// personaOf reads which kind of partner the instructions ask the model to
// play, by the words of its manner: skeptical, a busy executive, warm and
// supportive, or else neutral.
func personaOf(system string) string {
	s := strings.ToLower(system)
	if _, manner, ok := strings.Cut(s, "your manner:"); ok {
		s, _, _ = strings.Cut(manner, "\n")
	}
	switch {
	case strings.Contains(s, "skeptic"):
		return "skeptic"
	case strings.Contains(s, "executive") || strings.Contains(s, "impatient"):
		return "executive"
	case strings.Contains(s, "supportive") || strings.Contains(s, "encouraging"):
		return "ally"
	}
	return "neutral"
}

// chatShort answers a message too short to respond to.
const chatShort = "Could you say a bit more? A full sentence or two helps me understand what you mean."

// chatOpening answers a request without any user text.
const chatOpening = "Hello! Tell me a little about yourself and what you'd like to talk about today."

var magicWordRe = regexp.MustCompile(`\[\[[^\]]*\]\]`)

// chatReply is the Conversational reply to the user's turn number turn
// (1-based) with text, by a partner of the given kind (personaOf): it
// follows up on what they said, in turn through that partner's
// chatFollowUps, so a chat reads like a real exchange and stays repeatable.
func chatReply(persona string, turn int, text string) string {
	text = strings.TrimSpace(magicWordRe.ReplaceAllString(text, ""))
	words := strings.Fields(text)
	switch {
	case len(words) == 0:
		return chatOpening
	case len(words) < 3:
		return chatShort
	}
	lines, ok := chatFollowUps[persona]
	if !ok {
		lines = chatFollowUps["neutral"]
	}
	return fmt.Sprintf(lines[max(turn-1, 0)%len(lines)], snippet(text))
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

package coach

// scenarioSpec is a Scenario plus what only the prompt needs: who the
// persona plays and the situation they are in.
type scenarioSpec struct {
	Scenario
	counterpart string // the role the persona plays, in the second person
}

// personaSpec is a Persona plus how it behaves, for the prompt.
type personaSpec struct {
	Persona
	manner string
}

// Scenario and persona ids (stable: saved chats refer to them).
const (
	ScenarioInterview   = "behavioural-interview"
	ScenarioSalary      = "salary-negotiation"
	ScenarioSmallTalk   = "small-talk"
	ScenarioFeedback    = "tough-feedback"
	ScenarioObjection   = "pricing-objection"
	ScenarioExecUpdate  = "exec-status-update"
	ScenarioMeetingPush = "meeting-pushback"

	PersonaCoach     = "coach"
	PersonaSkeptic   = "skeptic"
	PersonaAlly      = "ally"
	PersonaExecutive = "executive"
)

var scenarios = []scenarioSpec{
	{
		Scenario: Scenario{
			ID:          ScenarioInterview,
			Title:       "Behavioural interview",
			Description: "Answer “tell me about a time…” questions for a role at a US company.",
			Goal:        "Answer with a clear story — situation, task, action, result — and say what you did, not just what the team did.",
			Opening:     "Thanks for making the time today. To start, tell me about a time you had to deliver something important with a deadline that kept moving. What happened?",
		},
		counterpart: "You are the hiring manager interviewing the user for a role on your team at a US company. Ask behavioural questions one at a time, follow up on vague answers (\"What did you do, specifically?\", \"What was the result?\"), and move to a new question when an answer is complete.",
	},
	{
		Scenario: Scenario{
			ID:          ScenarioSalary,
			Title:       "Salary negotiation",
			Description: "You have an offer; ask for more without sounding ungrateful.",
			Goal:        "Thank them, name a specific number backed by market data or your impact, and hold it politely once before discussing trade-offs.",
			Opening:     "We're really excited to have you join. You've seen the offer — a base of $118,000 plus the standard equity package. How are you feeling about it?",
		},
		counterpart: "You are the recruiter who made the user a job offer (base $118,000, standard equity). You have some room — up to about $128,000 or a signing bonus — but you don't offer it unless the user asks clearly and gives a reason. Push back once with budget constraints before moving.",
	},
	{
		Scenario: Scenario{
			ID:          ScenarioSmallTalk,
			Title:       "Small talk with a new colleague",
			Description: "A coffee-machine chat in your first week; keep it light and make a connection.",
			Goal:        "Keep the conversation going: answer with a little detail, ask a question back, and find one thing in common.",
			Opening:     "Hey, you must be new — I don't think we've met. I'm Sam, I work on the data team. How's your first week going?",
		},
		counterpart: "You are Sam, a friendly colleague on the data team meeting the user at the office coffee machine during their first week. Keep it casual: weekend plans, the neighbourhood, lunch spots, how they're settling in. Share small details about yourself so there is something to respond to.",
	},
	{
		Scenario: Scenario{
			ID:          ScenarioFeedback,
			Title:       "Giving tough feedback",
			Description: "Tell a teammate their missed deadlines are hurting the project.",
			Goal:        "Be direct and kind: describe the specific behaviour and its impact, listen, and agree on a concrete next step.",
			Opening:     "Hey, you wanted to chat? I've only got about fifteen minutes before my next call — what's up?",
		},
		counterpart: "You are Jordan, a capable teammate of the user who has missed the last two deadlines on a shared project because you are overloaded. You don't know yet that this is what the meeting is about. You get a bit defensive if the feedback is vague or sounds like blame, and open up if it is specific and fair.",
	},
	{
		Scenario: Scenario{
			ID:          ScenarioObjection,
			Title:       "Handling a pricing objection",
			Description: "A prospect says your product costs too much.",
			Goal:        "Acknowledge the concern, ask what they are comparing against, and tie the price to the value they care about — without discounting at once.",
			Opening:     "Look, I like the demo, but honestly your price is about 30% higher than the other vendor we're talking to. I'm not sure I can justify that to my boss.",
		},
		counterpart: "You are the head of operations at a mid-sized logistics company evaluating the user's software. A competitor is about 30% cheaper. You care about saving your team time and about not looking bad to your boss. You warm up if the user asks good questions and connects the price to your problems; you push harder if they just discount or talk over you.",
	},
	{
		Scenario: Scenario{
			ID:          ScenarioExecUpdate,
			Title:       "Status update to an executive",
			Description: "Brief a VP on a project that is two weeks behind.",
			Goal:        "Lead with the bottom line, give the cause and your plan in a few sentences, and say exactly what you need from them.",
			Opening:     "I've got five minutes between meetings. Where are we on the launch?",
		},
		counterpart: "You are a busy VP the user reports to indirectly. The launch they run is two weeks behind, which you may have heard about. You want the bottom line first and interrupt long answers (\"So what do you need from me?\"). Ask sharp questions about risk, dates and decisions.",
	},
	{
		Scenario: Scenario{
			ID:          ScenarioMeetingPush,
			Title:       "Pushing back in a meeting",
			Description: "Your manager proposes a plan you think will fail; disagree respectfully.",
			Goal:        "Disagree clearly but respectfully: acknowledge the idea, give your concern with evidence, and propose an alternative.",
			Opening:     "So the plan is to move the whole team onto the new platform by the end of the quarter. I think it's doable. Any thoughts before we commit?",
		},
		counterpart: "You are the user's manager, proposing in a team meeting to migrate everything to a new platform by the end of the quarter. You are attached to the plan but reasonable: you change your mind only for specific evidence and a workable alternative.",
	},
}

var personas = []personaSpec{
	{
		Persona: Persona{ID: PersonaCoach, Name: "Neutral coach", Description: "Calm and fair; asks clear follow-up questions."},
		manner:  "Be calm, fair and professional. React as a reasonable person would, neither easy nor hard on the user.",
	},
	{
		Persona: Persona{ID: PersonaSkeptic, Name: "Skeptic", Description: "Doubts everything; wants evidence and specifics."},
		manner:  "Be skeptical. Question vague claims, ask for numbers and examples, and don't accept an answer until it is specific. Stay polite — tough, not rude.",
	},
	{
		Persona: Persona{ID: PersonaAlly, Name: "Ally", Description: "Friendly and encouraging; easy to talk to."},
		manner:  "Be warm and supportive. Make it easy for the user to talk, build on what they say, and show you are on their side while still reacting honestly.",
	},
	{
		Persona: Persona{ID: PersonaExecutive, Name: "Executive", Description: "Busy and direct; wants the bottom line first."},
		manner:  "Be a busy senior executive: short, direct, a little impatient. Redirect rambling answers, ask what the decision or ask is, and value brevity.",
	},
}

// NewCatalog returns every scenario and persona, in picker order, and the
// limits on what the user sends.
func NewCatalog() Catalog {
	c := Catalog{Scenarios: make([]Scenario, 0, len(scenarios)), Personas: make([]Persona, 0, len(personas)), Limits: PracticeLimits()}
	for _, s := range scenarios {
		c.Scenarios = append(c.Scenarios, s.Scenario)
	}
	for _, p := range personas {
		c.Personas = append(c.Personas, p.Persona)
	}
	return c
}

func findScenario(id string) (scenarioSpec, bool) {
	for _, s := range scenarios {
		if s.ID == id {
			return s, true
		}
	}
	return scenarioSpec{}, false
}

func findPersona(id string) (personaSpec, bool) {
	for _, p := range personas {
		if p.ID == id {
			return p, true
		}
	}
	return personaSpec{}, false
}

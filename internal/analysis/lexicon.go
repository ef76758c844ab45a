package analysis

import (
	"fmt"
	"slices"
	"strings"
)

// The word lists behind the flags. Each lexGroup is a list of phrases of one
// kind that share a message and a suggestion; the scanner in flags.go matches
// them case-insensitively, on whole words, across any run of whitespace.
//
// Phrase syntax, one phrase per line:
//
//	words {alt1|alt2} more words => plain {one|two} @guard
//
//   - "{a|b}" on the left expands to one phrase per alternative (several
//     groups multiply). A single "{…}" group on the right with as many
//     alternatives as the first group on the left pairs them up, so
//     "{leverage|leveraging} => {use|using}" suggests "using" for "leveraging".
//   - "=> …" is the plain alternative, shown as {alt} in the suggestion.
//   - "@name" names a guard in flagGuards (flags.go): a context check the
//     match must also pass ("like" is a filler only in some positions).
//   - Words are written lower-case with a straight apostrophe; the scanner
//     folds ASCII case and reads ’ as '.
//
// In message and suggest, {} is the flagged text as written and {alt} the
// plain alternative.

// lexGroup is one list of phrases sharing a kind, a message and a suggestion.
type lexGroup struct {
	kind    FlagKind // "" marks phrases that are fine and shield their words from other flags
	message string
	suggest string
	phrases string
}

var lexGroups = []lexGroup{
	// ---- fillers ---------------------------------------------------------
	{
		kind:    FlagFiller,
		message: `"{}" is a filler word: it adds length, not meaning.`,
		suggest: `Delete "{}"`,
		phrases: `
{um|umm|uh|uhh|uhm|erm|er|hmm|hmmm}
like @likeFiller
you know @youKnowFiller
{y'know|ya know}
i mean @commaAfter
basically
actually
literally
honestly
to be honest
{to tell you the truth|to tell the truth}
`,
	},
	{
		kind:    FlagFiller,
		message: `"{}" at the start of a sentence is a filler: it delays your point.`,
		suggest: `Delete "{}" and start with your point`,
		phrases: `
so @soFiller
well @wellFiller
{anyway|anyways} @commaAfterAtStart
`,
	},

	// ---- hedges ----------------------------------------------------------
	{
		kind:    FlagHedge,
		message: `"{}" softens your point and makes you sound unsure.`,
		suggest: `Delete "{}" and say it directly`,
		phrases: `
{i think|i think that}
i guess
i believe
i suppose
{i feel like|i feel that}
{i'm not sure but|i am not sure but|not sure but|i'm not sure if|i am not sure if|not sure if|i'm not sure whether}
maybe
perhaps
hopefully
{kind of|sort of} @notAfterDeterminer
{kinda|sorta}
{a bit|a little bit} @notAfterQuite
somewhat
fairly
rather @ratherHedge
{it seems|it seems like|it seems that|seems like|it appears that}
{in my opinion|in my humble opinion|imho|imo|in my view}
{i would say|i'd say}
more or less
{to some extent|to a certain extent|to some degree}
{if that makes sense|does that make sense|does this make sense}
{i could be wrong|i may be wrong|i might be wrong|correct me if i'm wrong|correct me if i am wrong}
{i'm no expert|i am no expert|i'm not an expert|i am not an expert}
{if that's okay|if that's ok|if that is okay|if that is ok|if it's okay|if it's ok|if possible}
`,
	},
	{
		kind:    FlagHedge,
		message: `"{}" softens your point and makes you sound unsure.`,
		suggest: `Say "{alt}" if you are sure, or give the odds, instead of "{}"`,
		phrases: `
{might|could possibly|possibly|probably} => will
{might be able to|may be able to} => can
`,
	},
	{
		kind:    FlagHedge,
		message: `"{}" makes your request sound smaller than it is.`,
		suggest: `Delete "just": write "{alt}"`,
		phrases: `
{just wanted to|just want to|just wanted|just checking|just following up|just a quick|just wondering|just a thought|just a reminder|just to check} => {wanted to|want to|wanted|checking|following up|a quick|wondering|a thought|a reminder|to check}
`,
	},
	{
		kind:    FlagHedge,
		message: `"{}" makes your request sound tentative.`,
		suggest: `Ask directly: "Could you…?" instead of "{}"`,
		phrases: `
{i was wondering if|i was wondering whether|i was just wondering if|i was hoping you could|i was hoping that you could}
`,
	},
	{
		kind:    FlagHedge,
		message: `"{}" promises effort, not a result.`,
		suggest: `Commit: say what you will do and when, instead of "{}"`,
		phrases: `
{i'll try to|i will try to|we'll try to|we will try to|i'll try my best to|we'll do our best to|i will do my best to}
`,
	},

	// ---- weasel words ----------------------------------------------------
	{
		kind:    FlagWeasel,
		message: `"{}" is vague: it hides who says so, or how many.`,
		suggest: `Name the source or give the number instead of "{}"`,
		phrases: `
{many|some|most} people {say|think|believe|feel|agree}
{people say|some say|they say|some would say|some would argue|critics say}
{it is said|it's said|it has been said|it was said}
{it is believed|it's believed|it is thought|it's thought|it is known|it's known|it is widely known|it's widely known|it is well known|it's well known|it is generally accepted|it is widely believed}
{experts agree|experts say|experts believe|many experts|studies show|studies have shown|research shows|research suggests|research has shown|scientists say|sources say}
{arguably|it could be argued|it can be argued|it may be argued}
{very few|quite a few|a number of|a lot of people|countless|numerous|a great many}
{everyone knows|everybody knows|it goes without saying|needless to say}
`,
	},
	{
		kind:    FlagWeasel,
		message: `"{}" is vague: which ones, and how many?`,
		suggest: `Name them, or say how many, instead of "{}"`,
		phrases: `
{various|certain people|some people}
`,
	},
	{
		kind:    FlagWeasel,
		message: `"{}" claims something is obvious without showing it.`,
		suggest: `Delete "{}" and show the evidence`,
		phrases: `
obviously
clearly @sentenceStart
`,
	},

	// ---- corporate jargon ------------------------------------------------
	{
		kind:    FlagJargon,
		message: `"{}" is corporate jargon; plain words read faster and travel better across languages.`,
		suggest: `Say "{alt}" instead of "{}"`,
		phrases: `
{leverage|leverages|leveraged|leveraging} => {use|uses|used|using}
{utilize|utilizes|utilized|utilizing} => {use|uses|used|using}
{utilise|utilises|utilised|utilising} => {use|uses|used|using}
{utilization|utilisation} => use
{synergy|synergies} => {working together|shared gains}
{synergize|synergise} => work together
{circle back|circling back|circled back|circles back} => {follow up|following up|followed up|follows up}
{touch base|touching base|touched base|touches base} => {talk|talking|talked|talks}
{move the needle|moves the needle|moved the needle|moving the needle} => {make a real difference|makes a real difference|made a real difference|making a real difference}
{low-hanging fruit|low hanging fruit} => quick wins
bandwidth => time
{paradigm|paradigms} => {model|models}
paradigm shift => big change
{deep dive|deep-dive|deep dives|deep-dives} => {close look|close look|close looks|close looks}
{going forward|moving forward} => from now on
{action item|action items} => {task|tasks}
{action it|action this|actioned|actioning} => {handle it|handle this|handled|handling}
{ping|pinged|pinging} => {message|messaged|messaging}
{reach out to|reached out to|reaching out to|reaches out to} => {write to|wrote to|writing to|writes to}
{reach out|reached out|reaching out} => {get in touch|got in touch|getting in touch}
{loop|looped|looping} {you|me|him|her|them|us|everyone} in => add them
{loop in|looped in|looping in} => {include|included|including}
{take this offline|take it offline|take that offline|taking this offline|take the conversation offline} => discuss this separately
{on the same page} => in agreement
{think outside the box|thinking outside the box|outside the box} => {think differently|thinking differently|new}
{game changer|game-changer|game changers} => {big improvement|big improvement|big improvements}
{best practice|best practices} => {proven method|proven methods}
{value add|value-add|value-added} => {benefit|benefit|useful}
{win-win|win win} => good for both sides
{core competency|core competencies} => {strength|strengths}
boil the ocean => try to do everything
{drill down|drilling down|drill-down} => {look closer|looking closer|closer look}
hard stop => I have to leave at [time]
{net net|net-net} => in short
at the end of the day => in the end
{bleeding edge|bleeding-edge|cutting edge|cutting-edge} => newest
{ideate|ideation|ideating} => {brainstorm|brainstorming|brainstorming}
{incentivize|incentivise|incentivized|incentivised} => {encourage|encourage|encouraged|encouraged}
{operationalize|operationalise} => put into practice
learnings => lessons
{the ask|big ask} => {the request|big request}
deliverables => results
{holistic|holistically} => {complete|as a whole}
actionable => practical
impactful => effective
{align on|aligned on|aligning on} => {agree on|agreed on|agreeing on}
{double-click on|double click on} => look closer at
{pain point|pain points} => {problem|problems}
wheelhouse => area of expertise
tiger team => task force
{put a pin in it|put a pin in that|put a pin in this} => pause it
run it up the flagpole => test the idea
{blue-sky thinking|blue sky thinking} => open brainstorming
{thought leader|thought leaders|thought leadership} => {expert|experts|expertise}
{mission-critical|mission critical} => essential
{best-in-class|world-class} => {the best|excellent}
secret sauce => advantage
{swim lane|swim lanes|swimlane|swimlanes} => {area|areas|area|areas}
reinvent the wheel => start from scratch
heavy lifting => hard work
{per my last email|as per my last email|per my previous email} => as I wrote on [date]
as per => following
please advise => please let me know
at this point in time => now
in order to => to
due to the fact that => because
prior to => before
in the event that => if
{with regard to|with regards to|in regards to|in regard to} => about
for all intents and purposes => in effect
{cadence} => schedule
{granular} => detailed
{streamline|streamlines|streamlined|streamlining} => {simplify|simplifies|simplified|simplifying}
`,
	},

	// ---- intensifiers ----------------------------------------------------
	{
		kind:    FlagIntensifier,
		message: `"{}" adds emphasis but no information.`,
		suggest: `Delete "{}", or pick one precise word ("very big" → "huge")`,
		phrases: `
{very|really|extremely|totally|absolutely|incredibly|truly|utterly|completely}
{awfully|terribly|ridiculously|massively|hugely|tremendously|enormously}
{exceptionally|amazingly|unbelievably|highly|super-duper}
super @superIntensifier
quite @quiteIntensifier
`,
	},

	// ---- over-apologising ------------------------------------------------
	{
		kind:    FlagApology,
		message: `"{}" apologises where nothing went wrong, which can make you sound junior.`,
		suggest: `Thank instead: "{alt}"`,
		phrases: `
{sorry|so sorry|i'm sorry|i am sorry|i'm so sorry|i am so sorry|really sorry|very sorry|i'm really sorry} => Thanks for your patience
{|i'm |i am |so |i'm so |really }{sorry to bother you|sorry to bother|sorry for bothering you|sorry to disturb you|sorry to trouble you|i hate to bother you|sorry for the trouble} => Thanks for your time
{|i'm |i am |so |i'm so |really }{sorry for the delay|sorry for the late reply|sorry for the late response|sorry for my late reply|sorry for my late response|sorry for the slow reply|sorry for the wait|apologies for the delay|apologies for the late reply|sorry it took so long} => Thanks for your patience
{|i'm |i am |so |i'm so |really }{sorry for the inconvenience|sorry for any inconvenience|apologies for the inconvenience|apologies for any inconvenience} => Thanks for your understanding
{|i'm |i am |so |i'm so |really }{sorry for the long email|sorry for the long message|sorry for the wall of text|sorry for the long post} => Thanks for reading
{|i'm |i am |so |i'm so |really }{sorry to ask|sorry for asking|sorry if this is a dumb question|sorry if this is a stupid question|sorry for the dumb question|sorry for the stupid question} => Thanks for your help
{i apologize|i apologise|apologies|my apologies|i apologize for|i apologise for|please forgive me|forgive me} => Thanks for your patience
`,
	},
	{
		kind:    FlagApology,
		message: `"{}" apologises before you have said anything wrong.`,
		suggest: `Delete "{}" and state your point`,
		phrases: `
{i'm sorry but|i am sorry but|sorry but}
`,
	},

	// ---- non-inclusive language ------------------------------------------
	{
		kind:    FlagNonInclusive,
		message: `"{}" assumes everyone is a man.`,
		suggest: `Say "{alt}" instead of "{}"`,
		phrases: `
guys @guysAddress => everyone
you guys => you all
{hey guys|hi guys|hello guys|thanks guys|thank you guys} => {hi everyone|hi everyone|hello everyone|thanks everyone|thank you all}
manpower => staff
{chairman|chairmen} => {chair|chairs}
mankind => humanity
{man-hours|man hours|manhours|man-hour|man hour} => {person-hours|person-hours|person-hours|person-hour|person-hour}
{man-made|manmade} => artificial
manned => staffed
unmanned => uncrewed
{salesman|salesmen} => {salesperson|salespeople}
{businessman|businessmen} => {businessperson|businesspeople}
{spokesman|spokesmen} => {spokesperson|spokespeople}
{policeman|policemen} => {police officer|police officers}
{fireman|firemen} => {firefighter|firefighters}
{mailman|mailmen} => {mail carrier|mail carriers}
{middleman|middlemen} => {intermediary|intermediaries}
{freshman|freshmen} => {first-year|first-years}
ladies and gentlemen => everyone
{gentleman's agreement|gentlemen's agreement} => unwritten agreement
man up => step up
right-hand man => right hand
cleaning lady => cleaner
`,
	},
	{
		kind:    FlagNonInclusive,
		message: `"{}" ties white to good and black to bad.`,
		suggest: `Say "{alt}" instead of "{}"`,
		phrases: `
{whitelist|whitelists|whitelisted|whitelisting|white-list|white list} => {allowlist|allowlists|allowlisted|allowlisting|allowlist|allowlist}
{blacklist|blacklists|blacklisted|blacklisting|black-list|black list} => {blocklist|blocklists|blocklisted|blocklisting|blocklist|blocklist}
{whitelist/blacklist|blacklist/whitelist} => {allowlist/blocklist|blocklist/allowlist}
`,
	},
	{
		kind:    FlagNonInclusive,
		message: `"{}" uses slavery as a technical metaphor.`,
		suggest: `Say "{alt}" instead of "{}"`,
		phrases: `
{master/slave|master-slave|master slave|master and slave} => primary/replica
{slave|slaves} => {replica|replicas}
master branch => main branch
`,
	},
	{
		kind:    FlagNonInclusive,
		message: `"{}" uses disability or mental illness as a put-down.`,
		suggest: `Say "{alt}" instead of "{}"`,
		phrases: `
crazy => wild
{insane|insanely} => {unbelievable|extremely}
lame => disappointing
dumb => silly
{retarded|psycho} => {ridiculous|erratic}
{crippled|crippling|cripple|cripples} => {held back|severe|hamper|hampers}
{tone-deaf|tone deaf} => insensitive
{turn a blind eye|turned a blind eye|turning a blind eye} => {ignore|ignored|ignoring}
{fall on deaf ears|fell on deaf ears|falling on deaf ears|fallen on deaf ears} => {be ignored|was ignored|being ignored|been ignored}
{sanity check|sanity checks|sanity-check|sanity-checks} => {quick check|quick checks|quick check|quick checks}
handicapped => disabled
{wheelchair-bound|wheelchair bound|confined to a wheelchair} => who uses a wheelchair
{i'm so ocd|i am so ocd|so ocd|a bit ocd} => particular
{dummy value|dummy values|dummy data|dummy variable|dummy text} => {placeholder value|placeholder values|sample data|placeholder variable|placeholder text}
`,
	},
	{
		kind:    FlagNonInclusive,
		message: `"{}" borrows from a culture or a painful history, which can put some readers off.`,
		suggest: `Say "{alt}" instead of "{}"`,
		phrases: `
{grandfathered|grandfathered in|grandfathering|grandfather clause} => {exempted|exempted|exempting|legacy clause}
spirit animal => role model
{tribe|tribes} => {team|teams}
tribal knowledge => undocumented knowledge
{powwow|pow-wow|pow wow} => meeting
{guru|gurus} => {expert|experts}
{ninja|ninjas} => {expert|experts}
{low man on the totem pole|bottom of the totem pole} => most junior person
totem pole => hierarchy
off the reservation => off track
peanut gallery => audience
{gypped|gyp|gipped} => {cheated|cheat|cheated}
{third world|third-world} => lower-income
`,
	},

	// ---- fine as they are --------------------------------------------------
	// These phrases contain flagged words but are normal, warm English. A
	// match here claims its words, so no other flag can cover them.
	{
		kind: "",
		phrases: `
{sorry to hear|so sorry to hear|sorry for your loss|sorry about your loss|sorry to see you go}
{thank you very much|thanks very much|thank you so much|thanks so much|thanks a lot}
{quite a bit|quite a little|not a bit|bit by bit|a bit of a stretch}
{very well|the very same|the very first|the very last|the very best}
{that being said|with that being said|that said}
{really appreciate|really appreciated}
`,
	},
}

// cueKind marks words that make a text warmer; see warmthCues.
type cueKind uint8

const (
	cueNone cueKind = iota
	cueThanks
	cuePlease
	cueWe
	cueYou
)

var cueWords = map[cueKind]string{
	cueThanks: "thanks thank thx ty appreciate appreciated appreciates grateful gratitude cheers",
	cuePlease: "please pls plz kindly",
	cueWe:     "we us our ours ourselves let's we're we've we'll we'd together",
	cueYou:    "you your yours yourself yourselves you're you've you'll you'd",
}

// Forms of "to be" (and "get") that can start a passive. "he's"/"she's"
// are left out on purpose: they are as often "he has" ("he's worked here
// for years") as "he is".
const beForms = "am is are was were be been being it's that's what's there's here's i'm you're we're they're isn't aren't wasn't weren't ain't"
const getForms = "get gets got gotten getting"

// Words allowed between the verb and the participle ("was quickly fixed").
// Any word ending in -ly is allowed too.
const passiveAdverbs = "not never also already just still always often all now then even rarely soon yet ever both further again first"

// Irregular past participles, "participle:past" where the simple past differs.
// Adjective-like ones (born, gone, lost, stuck, drunk, upset, left, set,
// meant, bound, hurt, fed, mistaken) are left out on purpose.
const irregularParticiples = `arisen:arose awoken:awoke beaten:beat begun:began bent bitten:bit
blown:blew bought bred broadcast broken:broke brought built burst cast caught chosen:chose
clung cut dealt done:did drawn:drew dreamt driven:drove dug eaten:ate fallen:fell felt fought
found fled flung flown:flew forbidden:forbade forecast foreseen:foresaw forgiven:forgave
forgotten:forgot frozen:froze given:gave gotten:got grown:grew hung heard held hidden:hid hit
kept knelt known:knew laid led lent lit made misled mislaid misunderstood mown:mowed
outdone:outdid overcome:overcame overheard overrun:overran overseen:oversaw overtaken:overtook
overthrown:overthrew overwritten:overwrote paid proven:proved put read rebuilt redone:redid
remade repaid rewritten:rewrote ridden:rode rung:rang risen:rose run:ran said seen:saw sought
sold sent sewn:sewed shaken:shook shone shot shown:showed shrunk:shrank shut slain:slew slid
slung sown:sowed spoken:spoke sped spent spilt split spread sprung:sprang stolen:stole struck
stung sworn:swore swept swung taken:took taught thought thrown:threw told torn:tore
trodden:trod undergone:underwent understood undertaken:undertook undone:undid upheld
withdrawn:withdrew withheld won worn:wore woven:wove written:wrote wrung`

// Words ending in -ed that after "to be" usually describe a state rather than
// an action, so "was tired" or "is located in Berlin" is not flagged as
// passive: there is no doer to name.
const stativeEd = `tired interested excited bored located worried concerned pleased satisfied
disappointed surprised confused scared frightened terrified annoyed irritated amazed amused
ashamed embarrassed exhausted frustrated delighted thrilled overwhelmed stressed relieved
convinced determined committed dedicated devoted motivated qualified experienced talented
skilled gifted educated married divorced engaged involved prepared supposed finished closed
limited advanced complicated sophisticated detailed dated outdated balanced biased crowded
distinguished renowned blessed aged armed retired employed based related focused called
named titled entitled dressed situated inclined obliged acquainted accustomed honored
honoured privileged impressed fascinated shocked stunned puzzled disgusted horrified offended
alarmed depressed discouraged encouraged touched pressed swamped slammed booked packed
stuffed tied hooked jazzed pumped psyched stoked wired wasted drained burned allowed
learned beloved wicked naked sacred rugged ragged crooked jagged wretched dogged
animated assured reserved relaxed excused spoiled spoilt unemployed connected headed`

// Words ending in -ed that are not verbs at all.
const notParticiples = `hundred kindred hatred shred shed sled infrared embed seabed flowerbed
hotbed sickbed deathbed daybed airbed watershed bloodshed biped bobsled`

// Words ending in -eed that are participles (others, like "need", "indeed",
// "speed", are not).
const eedParticiples = "agreed disagreed freed guaranteed decreed refereed"

// Verbs starting with "un" whose -ed form is an action; other "un…ed" words
// ("unexpected", "unrelated") are adjectives.
const unVerbs = `unplugged unlocked unloaded unpacked uninstalled unsubscribed unblocked
unpublished unfollowed unpinned unassigned unmuted unmerged`

// After "get", these make set phrases, not passives ("get started").
const getExcluded = "started used done dressed sorted settled organized organised acquainted changed lost rid"

// Common acronyms written in capitals: not shouting.
const acronyms = `asap fyi ceo cfo cto coo cio cmo vp svp evp api sdk cli gui ide cpu gpu ram
ssd usb http https ssh vpn dns tcp udp url uri html css json xml yaml sql csv pdf png jpg jpeg gif
svg doc docx xlsx ppt pptx zip usa uk eu un nato nasa fbi cia irs kpi kpis okr okrs roi eta eod eow
cob ooo pto faq faqs tbd tba tbc btw imo imho afaik aka diy rsvp fyi gdp usd eur gbp jpy cad aud inr
cny chf ipo llc ltd inc plc gmbh nda sla slas sow rfp rfq crm erp seo sem b2b b2c saas paas iaas mvp
poc llm gpt nlp aws gcp ibm hr qa ux ui pr ai ml os ios mac pst pdt est edt cst cdt mst mdt utc gmt
cet bst ist aest jst am pm ok lol omg wfh rto ytd mtd qtd yoy qoq mom arr mrr cac ltv nps csat
ebitda capex opex cogs p&l r&d m&a q&a sme smes ngo ngos who unicef mba phd cpa cfa ceo's ai's
ocd nyc sf la dc ny ca tx eng sre devops dm dms pm pms ic ics tl dr
hit hits mturk stc bbb hiv aids aspca npo gop nba nfl mlb nhl bbc cnn abc nbc cbs npr fda cdc ama
aclu naacp covid sars nyse nasdaq etf ira ssn dmv ups dhl gps pin sms vip lgbt lgbtq lgbtqia rip`

// Repeated words that are grammatical: "had had", "that that" ("he said
// that that was fine"), and reduplications like "bye bye".
const repeatAllowed = "had that bye ha haha he hee no so knock tsk mm hmm ho la"

// lexEntry is one phrase after expansion.
type lexEntry struct {
	words []string // lower-case keys, apostrophes straight
	kind  FlagKind
	group *lexGroup
	alt   string
	// guardFn is the context check named by "@name" (flagGuards), or nil.
	guardFn guardFunc
}

// wordInfo is everything the scanner needs to know about one lower-cased
// word, found with a single map lookup.
type wordInfo struct {
	entries []*lexEntry // phrases starting with this word, longest first
	cue     cueKind
	be      bool // a form of "to be"
	get     bool // a form of "get"
	adverb  bool // may sit between "to be" and a participle
	past    string
	part    bool // an irregular past participle (past is its simple past)
	stative bool // an -ed word that describes a state
	notPart bool // not a participle despite ending in -ed/-eed
	unVerb  bool
	getEx   bool
	acronym bool
	rptOK   bool // may be repeated ("had had")
	det     bool // a determiner: "what kind of" is not a hedge
}

// lexicon maps a lower-cased word to what the scanner knows about it.
var lexicon = buildLexicon()

// lexIndex numbers the lexicon's words; lexInfos[lexIndex[w]] == lexicon[w],
// and lexInfos[0] is nil, so a token can refer to its word without a pointer.
var lexIndex, lexInfos = indexLexicon(lexicon)

func indexLexicon(m map[string]*wordInfo) (map[string]int32, []*wordInfo) {
	words := make([]string, 0, len(m))
	for w := range m {
		words = append(words, w)
	}
	slices.Sort(words)
	index := make(map[string]int32, len(words))
	infos := make([]*wordInfo, 1, len(words)+1)
	for _, w := range words {
		index[w] = int32(len(infos))
		infos = append(infos, m[w])
	}
	return index, infos
}

func buildLexicon() map[string]*wordInfo {
	m := make(map[string]*wordInfo, 1024)
	get := func(w string) *wordInfo {
		wi := m[w]
		if wi == nil {
			wi = &wordInfo{}
			m[w] = wi
		}
		return wi
	}
	for gi := range lexGroups {
		g := &lexGroups[gi]
		for _, line := range strings.Split(g.phrases, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			for _, e := range parseLexLine(line, g) {
				wi := get(e.words[0])
				wi.entries = append(wi.entries, e)
			}
		}
	}
	for _, wi := range m {
		// Longest phrase first; the first to match at a word wins.
		slices.SortStableFunc(wi.entries, func(a, b *lexEntry) int { return len(b.words) - len(a.words) })
	}
	for k, list := range cueWords {
		for _, w := range strings.Fields(list) {
			get(w).cue = k
		}
	}
	for _, w := range strings.Fields(beForms) {
		get(w).be = true
	}
	for _, w := range strings.Fields(getForms) {
		get(w).get = true
	}
	for _, w := range strings.Fields(passiveAdverbs) {
		get(w).adverb = true
	}
	for _, f := range strings.Fields(irregularParticiples) {
		part, past, ok := strings.Cut(f, ":")
		if !ok {
			past = part
		}
		wi := get(part)
		wi.part, wi.past = true, past
	}
	for _, w := range strings.Fields(stativeEd) {
		get(w).stative = true
	}
	for _, w := range strings.Fields(notParticiples) {
		get(w).notPart = true
	}
	for _, w := range strings.Fields(eedParticiples) {
		wi := get(w)
		wi.part, wi.past = true, w
	}
	for _, w := range strings.Fields(unVerbs) {
		get(w).unVerb = true
	}
	for _, w := range strings.Fields(getExcluded) {
		get(w).getEx = true
	}
	for _, w := range strings.Fields(acronyms) {
		get(w).acronym = true
	}
	for _, w := range strings.Fields(repeatAllowed) {
		get(w).rptOK = true
	}
	for _, w := range strings.Fields(determiners) {
		get(w).det = true
	}
	return m
}

// Determiners: after one of these, "kind of"/"sort of" is a noun phrase
// ("what kind of report"), not a hedge.
const determiners = `a an the this that these those what which whatever any some every each no
one same other another different right wrong new first only my your our their his her its two all`

// parseLexLine expands one phrase line into entries.
func parseLexLine(line string, g *lexGroup) []*lexEntry {
	guard := ""
	if at := strings.IndexByte(line, '@'); at >= 0 {
		name, rest, _ := strings.Cut(line[at+1:], " ")
		guard = name
		line = strings.TrimSpace(line[:at] + rest)
	}
	left, right, _ := strings.Cut(line, "=>")
	left, right = strings.TrimSpace(left), strings.TrimSpace(right)
	phrases := expandBraces(left)
	alts := []string{right}
	if strings.Contains(right, "{") {
		alts = expandBraces(right)
		firstGroup := braceCount(left)
		if len(alts) != firstGroup || strings.Count(left, "{") != 1 {
			panic(fmt.Sprintf("lexicon: %q: the alternatives on the right must pair with a single group on the left", line))
		}
	}
	var fn guardFunc
	if guard != "" {
		fn = flagGuards[guard]
		if fn == nil {
			panic(fmt.Sprintf("lexicon: %q: no guard named %q", line, guard))
		}
	}
	out := make([]*lexEntry, 0, len(phrases))
	for i, p := range phrases {
		alt := alts[0]
		if len(alts) > 1 {
			alt = alts[i]
		}
		out = append(out, &lexEntry{words: strings.Fields(p), kind: g.kind, group: g, alt: alt, guardFn: fn})
	}
	return out
}

// braceCount is the number of alternatives in the first {…} group of s.
func braceCount(s string) int {
	open := strings.IndexByte(s, '{')
	if open < 0 {
		return 1
	}
	end := strings.IndexByte(s[open:], '}')
	return strings.Count(s[open:open+end], "|") + 1
}

// expandBraces turns "a {b|c} d" into ["a b d", "a c d"]; groups multiply.
func expandBraces(s string) []string {
	open := strings.IndexByte(s, '{')
	if open < 0 {
		return []string{s}
	}
	end := strings.IndexByte(s[open:], '}')
	if end < 0 {
		panic(fmt.Sprintf("lexicon: unclosed { in %q", s))
	}
	end += open
	var out []string
	for _, alt := range strings.Split(s[open+1:end], "|") {
		for _, rest := range expandBraces(s[end+1:]) {
			out = append(out, s[:open]+alt+rest)
		}
	}
	return out
}

export namespace aisettings {
	
	export class Model {
	    id: string;
	    displayName: string;
	
	    static createFrom(source: any = {}) {
	        return new Model(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.displayName = source["displayName"];
	    }
	}
	export class Status {
	    hasKey: boolean;
	    keyHint: string;
	    model: string;
	    models: Model[];
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.hasKey = source["hasKey"];
	        this.keyHint = source["keyHint"];
	        this.model = source["model"];
	        this.models = this.convertValues(source["models"], Model);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace analysis {
	
	export class Bucket {
	    label: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new Bucket(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.label = source["label"];
	        this.count = source["count"];
	    }
	}
	export class Change {
	    title: string;
	    detail: string;
	    kind?: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new Change(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.detail = source["detail"];
	        this.kind = source["kind"];
	        this.count = source["count"];
	    }
	}
	export class Counts {
	    words: number;
	    sentences: number;
	    syllables: number;
	    characters: number;
	    letters: number;
	    polysyllables: number;
	    difficultWords: number;
	    paragraphs: number;
	
	    static createFrom(source: any = {}) {
	        return new Counts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.words = source["words"];
	        this.sentences = source["sentences"];
	        this.syllables = source["syllables"];
	        this.characters = source["characters"];
	        this.letters = source["letters"];
	        this.polysyllables = source["polysyllables"];
	        this.difficultWords = source["difficultWords"];
	        this.paragraphs = source["paragraphs"];
	    }
	}
	export class Flag {
	    kind: string;
	    start: number;
	    end: number;
	    start16: number;
	    end16: number;
	    text: string;
	    message: string;
	    suggestion: string;
	
	    static createFrom(source: any = {}) {
	        return new Flag(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.start16 = source["start16"];
	        this.end16 = source["end16"];
	        this.text = source["text"];
	        this.message = source["message"];
	        this.suggestion = source["suggestion"];
	    }
	}
	export class Readability {
	    fleschReadingEase: number;
	    fleschKincaidGrade: number;
	    gunningFog: number;
	    smogIndex: number;
	    colemanLiauIndex: number;
	    automatedReadabilityIndex: number;
	    plainGrade: string;
	
	    static createFrom(source: any = {}) {
	        return new Readability(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fleschReadingEase = source["fleschReadingEase"];
	        this.fleschKincaidGrade = source["fleschKincaidGrade"];
	        this.gunningFog = source["gunningFog"];
	        this.smogIndex = source["smogIndex"];
	        this.colemanLiauIndex = source["colemanLiauIndex"];
	        this.automatedReadabilityIndex = source["automatedReadabilityIndex"];
	        this.plainGrade = source["plainGrade"];
	    }
	}
	export class Scores {
	    overall: number;
	    clarity: number;
	    concision: number;
	    confidence: number;
	    warmth: number;
	
	    static createFrom(source: any = {}) {
	        return new Scores(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.overall = source["overall"];
	        this.clarity = source["clarity"];
	        this.concision = source["concision"];
	        this.confidence = source["confidence"];
	        this.warmth = source["warmth"];
	    }
	}
	export class Span {
	    start: number;
	    end: number;
	    start16: number;
	    end16: number;
	
	    static createFrom(source: any = {}) {
	        return new Span(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.start = source["start"];
	        this.end = source["end"];
	        this.start16 = source["start16"];
	        this.end16 = source["end16"];
	    }
	}
	export class SentenceProfile {
	    count: number;
	    meanWords: number;
	    medianWords: number;
	    longestWords: number;
	    lengths: number[];
	    histogram: Bucket[];
	    long: Span[];
	
	    static createFrom(source: any = {}) {
	        return new SentenceProfile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.count = source["count"];
	        this.meanWords = source["meanWords"];
	        this.medianWords = source["medianWords"];
	        this.longestWords = source["longestWords"];
	        this.lengths = source["lengths"];
	        this.histogram = this.convertValues(source["histogram"], Bucket);
	        this.long = this.convertValues(source["long"], Span);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Report {
	    version: number;
	    counts: Counts;
	    readability: Readability;
	    sentences: SentenceProfile;
	    flags: Flag[];
	    scores: Scores;
	    topChanges: Change[];
	    wpm?: number;
	    notes: string[];
	    repairedUtf8: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Report(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.counts = this.convertValues(source["counts"], Counts);
	        this.readability = this.convertValues(source["readability"], Readability);
	        this.sentences = this.convertValues(source["sentences"], SentenceProfile);
	        this.flags = this.convertValues(source["flags"], Flag);
	        this.scores = this.convertValues(source["scores"], Scores);
	        this.topChanges = this.convertValues(source["topChanges"], Change);
	        this.wpm = source["wpm"];
	        this.notes = source["notes"];
	        this.repairedUtf8 = source["repairedUtf8"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	

}

export namespace app {
	
	export class AccountDTO {
	    id: string;
	    email: string;
	    name: string;
	    role: string;
	    // Go type: time
	    createdAt: any;
	
	    static createFrom(source: any = {}) {
	        return new AccountDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.email = source["email"];
	        this.name = source["name"];
	        this.role = source["role"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AppInfo {
	    version: string;
	    dataDir: string;
	    os: string;
	    startupError: string;
	
	    static createFrom(source: any = {}) {
	        return new AppInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.dataDir = source["dataDir"];
	        this.os = source["os"];
	        this.startupError = source["startupError"];
	    }
	}
	export class AuthState {
	    signedIn: boolean;
	    account?: AccountDTO;
	    notice: string;
	
	    static createFrom(source: any = {}) {
	        return new AuthState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.signedIn = source["signedIn"];
	        this.account = this.convertValues(source["account"], AccountDTO);
	        this.notice = source["notice"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class HistoryItem {
	    kind: string;
	    id: string;
	    title: string;
	    // Go type: time
	    createdAt: any;
	    aiStatus: string;
	    review?: coach.ReviewSummary;
	    chat?: coach.ChatSummary;
	
	    static createFrom(source: any = {}) {
	        return new HistoryItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.id = source["id"];
	        this.title = source["title"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.aiStatus = source["aiStatus"];
	        this.review = this.convertValues(source["review"], coach.ReviewSummary);
	        this.chat = this.convertValues(source["chat"], coach.ChatSummary);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PasswordRule {
	    id: string;
	    message: string;
	    ok: boolean;
	
	    static createFrom(source: any = {}) {
	        return new PasswordRule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.message = source["message"];
	        this.ok = source["ok"];
	    }
	}
	export class RegisterInput {
	    email: string;
	    name: string;
	    role: string;
	    password: string;
	
	    static createFrom(source: any = {}) {
	        return new RegisterInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.email = source["email"];
	        this.name = source["name"];
	        this.role = source["role"];
	        this.password = source["password"];
	    }
	}
	export class SessionDTO {
	    id: string;
	    device: string;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    lastUsedAt: any;
	    current: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SessionDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.device = source["device"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.lastUsedAt = this.convertValues(source["lastUsedAt"], null);
	        this.current = source["current"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace coach {
	
	export class Alternative {
	    text: string;
	    when: string;
	
	    static createFrom(source: any = {}) {
	        return new Alternative(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.when = source["when"];
	    }
	}
	export class BetterVersion {
	    original: string;
	    improved: string;
	    why: string;
	
	    static createFrom(source: any = {}) {
	        return new BetterVersion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.original = source["original"];
	        this.improved = source["improved"];
	        this.why = source["why"];
	    }
	}
	export class Limit {
	    max: number;
	    tooLong: string;
	
	    static createFrom(source: any = {}) {
	        return new Limit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.max = source["max"];
	        this.tooLong = source["tooLong"];
	    }
	}
	export class Limits {
	    turn: Limit;
	    context: Limit;
	
	    static createFrom(source: any = {}) {
	        return new Limits(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.turn = this.convertValues(source["turn"], Limit);
	        this.context = this.convertValues(source["context"], Limit);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Persona {
	    id: string;
	    name: string;
	    description: string;
	
	    static createFrom(source: any = {}) {
	        return new Persona(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.description = source["description"];
	    }
	}
	export class Scenario {
	    id: string;
	    title: string;
	    description: string;
	    goal: string;
	    opening: string;
	
	    static createFrom(source: any = {}) {
	        return new Scenario(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.description = source["description"];
	        this.goal = source["goal"];
	        this.opening = source["opening"];
	    }
	}
	export class Catalog {
	    scenarios: Scenario[];
	    personas: Persona[];
	    limits: Limits;
	
	    static createFrom(source: any = {}) {
	        return new Catalog(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.scenarios = this.convertValues(source["scenarios"], Scenario);
	        this.personas = this.convertValues(source["personas"], Persona);
	        this.limits = this.convertValues(source["limits"], Limits);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Usage {
	    promptTokens: number;
	    candidatesTokens: number;
	    totalTokens: number;
	
	    static createFrom(source: any = {}) {
	        return new Usage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.promptTokens = source["promptTokens"];
	        this.candidatesTokens = source["candidatesTokens"];
	        this.totalTokens = source["totalTokens"];
	    }
	}
	export class Highlight {
	    quote: string;
	    comment: string;
	
	    static createFrom(source: any = {}) {
	        return new Highlight(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.quote = source["quote"];
	        this.comment = source["comment"];
	    }
	}
	export class Dimension {
	    score: number;
	    evidence: string;
	
	    static createFrom(source: any = {}) {
	        return new Dimension(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.score = source["score"];
	        this.evidence = source["evidence"];
	    }
	}
	export class Feedback {
	    overall: number;
	    clarity: Dimension;
	    pace: Dimension;
	    confidence: Dimension;
	    tone: Dimension;
	    relevance: Dimension;
	    structure: Dimension;
	    highlights: Highlight[];
	    actionItems: string[];
	    betterVersion: BetterVersion;
	
	    static createFrom(source: any = {}) {
	        return new Feedback(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.overall = source["overall"];
	        this.clarity = this.convertValues(source["clarity"], Dimension);
	        this.pace = this.convertValues(source["pace"], Dimension);
	        this.confidence = this.convertValues(source["confidence"], Dimension);
	        this.tone = this.convertValues(source["tone"], Dimension);
	        this.relevance = this.convertValues(source["relevance"], Dimension);
	        this.structure = this.convertValues(source["structure"], Dimension);
	        this.highlights = this.convertValues(source["highlights"], Highlight);
	        this.actionItems = source["actionItems"];
	        this.betterVersion = this.convertValues(source["betterVersion"], BetterVersion);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Turn {
	    id: string;
	    role: string;
	    text: string;
	    status: string;
	    error?: string;
	    errorCode?: string;
	    // Go type: time
	    retryAt?: any;
	    // Go type: time
	    createdAt: any;
	    chunks?: number;
	
	    static createFrom(source: any = {}) {
	        return new Turn(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.role = source["role"];
	        this.text = source["text"];
	        this.status = source["status"];
	        this.error = source["error"];
	        this.errorCode = source["errorCode"];
	        this.retryAt = this.convertValues(source["retryAt"], null);
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.chunks = source["chunks"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ContextDoc {
	    name: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new ContextDoc(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.text = source["text"];
	    }
	}
	export class Chat {
	    id: string;
	    title: string;
	    scenarioId: string;
	    personaId: string;
	    context?: ContextDoc;
	    turns: Turn[];
	    ended: boolean;
	    offline?: analysis.Report;
	    feedback?: Feedback;
	    aiStatus: string;
	    aiError?: string;
	    aiErrorCode?: string;
	    // Go type: time
	    aiRetryAt?: any;
	    usage: Usage;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
	    // Go type: cara
	    updated_hlc: any;
	    deleted: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Chat(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.scenarioId = source["scenarioId"];
	        this.personaId = source["personaId"];
	        this.context = this.convertValues(source["context"], ContextDoc);
	        this.turns = this.convertValues(source["turns"], Turn);
	        this.ended = source["ended"];
	        this.offline = this.convertValues(source["offline"], analysis.Report);
	        this.feedback = this.convertValues(source["feedback"], Feedback);
	        this.aiStatus = source["aiStatus"];
	        this.aiError = source["aiError"];
	        this.aiErrorCode = source["aiErrorCode"];
	        this.aiRetryAt = this.convertValues(source["aiRetryAt"], null);
	        this.usage = this.convertValues(source["usage"], Usage);
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updated_hlc = this.convertValues(source["updated_hlc"], null);
	        this.deleted = source["deleted"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChatSummary {
	    id: string;
	    title: string;
	    scenarioId: string;
	    personaId: string;
	    // Go type: time
	    createdAt: any;
	    turns: number;
	    ended: boolean;
	    aiStatus: string;
	    overall: number;
	    offlineOverall: number;
	
	    static createFrom(source: any = {}) {
	        return new ChatSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.scenarioId = source["scenarioId"];
	        this.personaId = source["personaId"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.turns = source["turns"];
	        this.ended = source["ended"];
	        this.aiStatus = source["aiStatus"];
	        this.overall = source["overall"];
	        this.offlineOverall = source["offlineOverall"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	
	
	
	
	export class QueueStatus {
	    pending: number;
	    done: number;
	    total: number;
	    running: boolean;
	    current?: string;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new QueueStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pending = source["pending"];
	        this.done = source["done"];
	        this.total = source["total"];
	        this.running = source["running"];
	        this.current = source["current"];
	        this.error = source["error"];
	    }
	}
	export class ReviewAI {
	    mode: string;
	    summary: string;
	    points: string[];
	    rewrite: string;
	    usage: Usage;
	    model: string;
	    // Go type: time
	    createdAt: any;
	
	    static createFrom(source: any = {}) {
	        return new ReviewAI(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mode = source["mode"];
	        this.summary = source["summary"];
	        this.points = source["points"];
	        this.rewrite = source["rewrite"];
	        this.usage = this.convertValues(source["usage"], Usage);
	        this.model = source["model"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Review {
	    id: string;
	    title: string;
	    text: string;
	    source: string;
	    // Go type: time
	    createdAt: any;
	    report: analysis.Report;
	    ai?: ReviewAI;
	    aiStatus: string;
	    aiError?: string;
	    aiErrorCode?: string;
	    // Go type: time
	    aiRetryAt?: any;
	    aiMode?: string;
	    // Go type: cara
	    updated_hlc: any;
	    deleted: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Review(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.text = source["text"];
	        this.source = source["source"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.report = this.convertValues(source["report"], analysis.Report);
	        this.ai = this.convertValues(source["ai"], ReviewAI);
	        this.aiStatus = source["aiStatus"];
	        this.aiError = source["aiError"];
	        this.aiErrorCode = source["aiErrorCode"];
	        this.aiRetryAt = this.convertValues(source["aiRetryAt"], null);
	        this.aiMode = source["aiMode"];
	        this.updated_hlc = this.convertValues(source["updated_hlc"], null);
	        this.deleted = source["deleted"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ReviewInput {
	    title: string;
	    text: string;
	    source: string;
	    repaired: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ReviewInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.text = source["text"];
	        this.source = source["source"];
	        this.repaired = source["repaired"];
	    }
	}
	export class ReviewSummary {
	    id: string;
	    title: string;
	    // Go type: time
	    createdAt: any;
	    words: number;
	    flags: number;
	    scores: analysis.Scores;
	    aiStatus: string;
	
	    static createFrom(source: any = {}) {
	        return new ReviewSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.words = source["words"];
	        this.flags = source["flags"];
	        this.scores = this.convertValues(source["scores"], analysis.Scores);
	        this.aiStatus = source["aiStatus"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class StartInput {
	    scenarioId: string;
	    personaId: string;
	    context?: ContextDoc;
	
	    static createFrom(source: any = {}) {
	        return new StartInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.scenarioId = source["scenarioId"];
	        this.personaId = source["personaId"];
	        this.context = this.convertValues(source["context"], ContextDoc);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Translation {
	    phrase: string;
	    perception: string;
	    hiddenMeaning: string;
	    alternatives: Alternative[];
	    usage: Usage;
	
	    static createFrom(source: any = {}) {
	        return new Translation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.phrase = source["phrase"];
	        this.perception = source["perception"];
	        this.hiddenMeaning = source["hiddenMeaning"];
	        this.alternatives = this.convertValues(source["alternatives"], Alternative);
	        this.usage = this.convertValues(source["usage"], Usage);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class UsageStatus {
	    day: string;
	    used: number;
	    budget: number;
	    warn: boolean;
	    stop: boolean;
	
	    static createFrom(source: any = {}) {
	        return new UsageStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.day = source["day"];
	        this.used = source["used"];
	        this.budget = source["budget"];
	        this.warn = source["warn"];
	        this.stop = source["stop"];
	    }
	}

}

export namespace document {
	
	export class Text {
	    title: string;
	    text: string;
	    repaired: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Text(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.text = source["text"];
	        this.repaired = source["repaired"];
	    }
	}

}


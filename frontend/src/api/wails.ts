// The Wails transport: the only module that imports the generated bindings.
import {
  ChangePassword,
  Login,
  Logout,
  PasswordChecklist,
  Register,
  RevokeSession,
  RoleSuggestions,
  Sessions,
  State,
} from '../../wailsjs/go/app/Auth';
import { AskCara, ImportFile, Review, Translate } from '../../wailsjs/go/app/Coach';
import { Delete, Get, List } from '../../wailsjs/go/app/History';
import * as Practice from '../../wailsjs/go/app/Practice';
import {
  GeminiModels,
  GeminiStatus,
  ProcessQueue,
  Queue,
  RemoveGeminiKey,
  SetDailyBudget,
  SetGeminiKey,
  SetGeminiModel,
  Usage,
} from '../../wailsjs/go/app/Settings';
import { Info, Quit } from '../../wailsjs/go/app/System';
import * as Transfer from '../../wailsjs/go/app/Transfer';
import type { app, coach } from '../../wailsjs/go/models';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { guardCall, sendInPieces, type LargeCall, type TransferBindings } from './bridge';
import type { Transport } from './client';
import type { RegisterInput, ReviewInput, StartChatInput } from './types';

/** The event Go emits when the session ends in the background (app.EventAuthExpired). */
export const AUTH_EXPIRED_EVENT = 'auth:expired';
/** A piece of a streamed reply (app.EventChatChunk). */
export const CHAT_CHUNK_EVENT = 'chat:chunk';
/** A reply started by Send or Retry is over (app.EventChatReply). */
export const CHAT_REPLY_EVENT = 'chat:reply';
/** Today's token use changed (app.EventAIUsage). */
export const AI_USAGE_EVENT = 'ai:usage';
/** The offline queue's progress (app.EventAIQueue). */
export const AI_QUEUE_EVENT = 'ai:queue';
/** Go's heartbeat (app.EventAppAlive). */
export const APP_ALIVE_EVENT = 'app:alive';

const transfer: TransferBindings = { begin: Transfer.Begin, append: Transfer.Append, finish: Transfer.Finish };

/** The method, by its Go name, sent through Transfer when too large for one browser message. */
const inPieces =
  (method: string): LargeCall =>
  (args) =>
    sendInPieces(transfer, method, args);

// Every call is guarded: in a browser (wails dev over its websocket) a call
// too large for one message goes in pieces if its method can take a large
// text or file, and is refused otherwise instead of hanging (see bridge.ts).
export const wailsTransport: Transport = {
  review: guardCall((input: ReviewInput) => Review(input as coach.ReviewInput), inPieces('Coach.Review')),
  importFile: guardCall(
    (name: string, contentBase64: string) => ImportFile(name, contentBase64),
    inPieces('Coach.ImportFile'),
  ),
  listHistory: guardCall(() => List()),
  getHistory: guardCall((id: string) => Get(id)),
  deleteHistory: guardCall((id: string) => Delete(id)),
  info: guardCall(() => Info()),
  quit: guardCall(() => Quit()),
  authState: guardCall(() => State()),
  register: guardCall((input: RegisterInput) => Register(input as app.RegisterInput)),
  login: guardCall((email: string, password: string) => Login(email, password)),
  logout: guardCall(() => Logout()),
  passwordChecklist: guardCall((password: string, email: string) => PasswordChecklist(password, email)),
  roleSuggestions: guardCall(() => RoleSuggestions()),
  changePassword: guardCall((current: string, next: string) => ChangePassword(current, next)),
  sessions: guardCall(() => Sessions()),
  revokeSession: guardCall((id: string) => RevokeSession(id)),
  geminiStatus: guardCall(() => GeminiStatus()),
  setGeminiKey: guardCall((key: string) => SetGeminiKey(key)),
  setGeminiModel: guardCall((model: string) => SetGeminiModel(model)),
  geminiModels: guardCall(() => GeminiModels()),
  removeGeminiKey: guardCall(() => RemoveGeminiKey()),
  usage: guardCall(() => Usage()),
  setDailyBudget: guardCall((tokens: number) => SetDailyBudget(tokens)),
  queue: guardCall(() => Queue()),
  processQueue: guardCall(() => ProcessQueue()),
  askCara: guardCall((reviewId: string, mode: string) => AskCara(reviewId, mode)),
  translate: guardCall((phrase: string) => Translate(phrase)),
  catalog: guardCall(() => Practice.Catalog()),
  importContext: guardCall(
    (name: string, contentBase64: string) => Practice.ImportContext(name, contentBase64),
    inPieces('Practice.ImportContext'),
  ),
  startChat: guardCall((input: StartChatInput) => Practice.Start(input as coach.StartInput)),
  sendChat: guardCall((chatId: string, text: string) => Practice.Send(chatId, text)),
  stopChat: guardCall((chatId: string) => Practice.Stop(chatId)),
  retryChat: guardCall((chatId: string) => Practice.Retry(chatId)),
  endChat: guardCall((chatId: string) => Practice.End(chatId)),
  getChat: guardCall((chatId: string) => Practice.Get(chatId)),
  onSessionExpired: (callback) => EventsOn(AUTH_EXPIRED_EVENT, (payload: unknown) => callback(payload)),
  onChatChunk: (callback) => EventsOn(CHAT_CHUNK_EVENT, (payload: unknown) => callback(payload)),
  onChatReply: (callback) => EventsOn(CHAT_REPLY_EVENT, (payload: unknown) => callback(payload)),
  onUsage: (callback) => EventsOn(AI_USAGE_EVENT, (payload: unknown) => callback(payload)),
  onQueue: (callback) => EventsOn(AI_QUEUE_EVENT, (payload: unknown) => callback(payload)),
  onAppAlive: (callback) => EventsOn(APP_ALIVE_EVENT, (payload: unknown) => callback(payload)),
};

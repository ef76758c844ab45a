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
import { ImportFile, Review } from '../../wailsjs/go/app/Coach';
import { Delete, Get, List } from '../../wailsjs/go/app/History';
import { GeminiModels, GeminiStatus, RemoveGeminiKey, SetGeminiKey, SetGeminiModel } from '../../wailsjs/go/app/Settings';
import { Info, Quit } from '../../wailsjs/go/app/System';
import type { app, coach } from '../../wailsjs/go/models';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { guardCall } from './bridge';
import type { Transport } from './client';
import type { RegisterInput, ReviewInput } from './types';

/** The event Go emits when the session ends in the background (app.EventAuthExpired). */
export const AUTH_EXPIRED_EVENT = 'auth:expired';

// Every call is guarded: in a browser (wails dev over its websocket) a call
// too large for the bridge is refused instead of hanging (see bridge.ts).
export const wailsTransport: Transport = {
  review: guardCall((input: ReviewInput) => Review(input as coach.ReviewInput)),
  importFile: guardCall((name: string, contentBase64: string) => ImportFile(name, contentBase64)),
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
  onSessionExpired: (callback) => EventsOn(AUTH_EXPIRED_EVENT, (payload: unknown) => callback(payload)),
};

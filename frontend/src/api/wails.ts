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
import { Info } from '../../wailsjs/go/app/System';
import type { app, coach } from '../../wailsjs/go/models';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import type { Transport } from './client';

/** The event Go emits when the session ends in the background (app.EventAuthExpired). */
export const AUTH_EXPIRED_EVENT = 'auth:expired';

export const wailsTransport: Transport = {
  review: (input) => Review(input as coach.ReviewInput),
  importFile: (name, contentBase64) => ImportFile(name, contentBase64),
  listHistory: () => List(),
  getHistory: (id) => Get(id),
  deleteHistory: (id) => Delete(id),
  info: () => Info(),
  authState: () => State(),
  register: (input) => Register(input as app.RegisterInput),
  login: (email, password) => Login(email, password),
  logout: () => Logout(),
  passwordChecklist: (password, email) => PasswordChecklist(password, email),
  roleSuggestions: () => RoleSuggestions(),
  changePassword: (current, next) => ChangePassword(current, next),
  sessions: () => Sessions(),
  revokeSession: (id) => RevokeSession(id),
  onSessionExpired: (callback) => EventsOn(AUTH_EXPIRED_EVENT, (payload: unknown) => callback(payload)),
};

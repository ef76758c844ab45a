// The Wails transport: the only module that imports the generated bindings.
import { ImportFile, Review } from '../../wailsjs/go/app/Coach';
import { Delete, Get, List } from '../../wailsjs/go/app/History';
import { Info } from '../../wailsjs/go/app/System';
import type { coach } from '../../wailsjs/go/models';
import type { Transport } from './client';

export const wailsTransport: Transport = {
  review: (input) => Review(input as coach.ReviewInput),
  importFile: (name, contentBase64) => ImportFile(name, contentBase64),
  listHistory: () => List(),
  getHistory: (id) => Get(id),
  deleteHistory: (id) => Delete(id),
  info: () => Info(),
};

// The reply being streamed into a chat, outside React state: chunks append
// here, and only the streaming bubble subscribes (useSyncExternalStore), so a
// chunk re-renders one text node, not the conversation.

import type { ChatChunk } from '../api';

export interface StreamSnapshot {
  turnId: string;
  text: string;
  /** How many chunks made the text. */
  chunks: number;
}

export class ReplyStream {
  private snapshot: StreamSnapshot | null = null;
  private listeners = new Set<() => void>();
  /** `at` stamps of chunks not yet reported as painted. */
  private unpainted: number[] = [];

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getSnapshot = (): StreamSnapshot | null => this.snapshot;

  /** Appends a piece; a new turn id starts a new reply. */
  append(chunk: ChatChunk): void {
    const cur = this.snapshot;
    this.snapshot =
      cur && cur.turnId === chunk.turnId
        ? { turnId: cur.turnId, text: cur.text + chunk.text, chunks: cur.chunks + 1 }
        : { turnId: chunk.turnId, text: chunk.text, chunks: 1 };
    if (chunk.at > 0) this.unpainted.push(chunk.at);
    this.notify();
  }

  /** Forgets the reply (a new send or retry is starting). */
  reset(): void {
    this.unpainted = [];
    if (this.snapshot === null) return;
    this.snapshot = null;
    this.notify();
  }

  /** Hands over the stamps of chunks committed so far, once. */
  takeUnpainted(): number[] {
    const out = this.unpainted;
    this.unpainted = [];
    return out;
  }

  private notify(): void {
    this.listeners.forEach((l) => l());
  }
}

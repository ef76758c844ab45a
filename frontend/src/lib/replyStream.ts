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
  /** Chunks that came ahead of one still missing, by seq (see resume). */
  private held = new Map<number, ChatChunk>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getSnapshot = (): StreamSnapshot | null => this.snapshot;

  /**
   * Appends a piece; a new turn id starts a new reply. A numbered piece
   * (seq > 0) the text already holds is dropped, and one that comes ahead
   * of a missing piece waits for it (or for resume to cover it).
   */
  append(chunk: ChatChunk): void {
    let cur = this.snapshot;
    if (!cur || cur.turnId !== chunk.turnId) {
      this.held.clear();
      cur = { turnId: chunk.turnId, text: '', chunks: 0 };
    }
    if (chunk.seq > 0 && chunk.seq <= cur.chunks) return;
    if (chunk.seq > cur.chunks + 1) {
      this.snapshot = cur;
      this.held.set(chunk.seq, chunk);
      return;
    }
    this.snapshot = this.drain({ turnId: cur.turnId, text: cur.text + chunk.text, chunks: cur.chunks + 1 });
    if (chunk.at > 0) this.unpainted.push(chunk.at);
    this.notify();
  }

  /**
   * Starts from a reply as Go has it so far (a view opened mid-reply): its
   * text and how many chunks made it. A stream that already holds as much
   * of the same reply keeps what it has.
   */
  resume(turnId: string, text: string, chunks: number): void {
    const cur = this.snapshot;
    if (cur && cur.turnId === turnId && cur.chunks >= chunks) return;
    if (!cur || cur.turnId !== turnId) this.held.clear();
    this.snapshot = this.drain({ turnId, text, chunks });
    this.notify();
  }

  /** Adds the held pieces that now follow on, and forgets those covered. */
  private drain(s: StreamSnapshot): StreamSnapshot {
    let next = s;
    for (const seq of [...this.held.keys()]) {
      if (seq <= next.chunks) this.held.delete(seq);
    }
    for (let c = this.held.get(next.chunks + 1); c; c = this.held.get(next.chunks + 1)) {
      this.held.delete(c.seq);
      next = { turnId: next.turnId, text: next.text + c.text, chunks: next.chunks + 1 };
    }
    return next;
  }

  /** Forgets the reply (a new send or retry is starting). */
  reset(): void {
    this.unpainted = [];
    this.held.clear();
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

import { describe, expect, it } from 'vitest';
import type { ChatChunk } from '../api';
import { ReplyStream } from './replyStream';

const chunk = (seq: number, text: string, turnId = 't3'): ChatChunk => ({ chatId: 'c', turnId, text, seq, at: 0 });

type Step = { append: ChatChunk } | { resume: [turnId: string, text: string, chunks: number] };

describe('ReplyStream', () => {
  const cases: { name: string; steps: Step[]; text: string; chunks: number }[] = [
    {
      name: 'numbered pieces in order',
      steps: [{ append: chunk(1, 'Hello ') }, { append: chunk(2, 'there') }],
      text: 'Hello there',
      chunks: 2,
    },
    {
      name: 'unnumbered pieces append as they come',
      steps: [{ append: chunk(0, 'a') }, { append: chunk(0, 'b') }],
      text: 'ab',
      chunks: 2,
    },
    {
      name: 'resume, then the pieces that follow; one it holds already is dropped',
      steps: [{ resume: ['t3', 'Well, I ', 2] }, { append: chunk(2, 'I ') }, { append: chunk(3, 'see.') }],
      text: 'Well, I see.',
      chunks: 3,
    },
    {
      name: 'a piece ahead of a missing one waits for it',
      steps: [{ resume: ['t3', 'A', 1] }, { append: chunk(3, 'C') }, { append: chunk(2, 'B') }],
      text: 'ABC',
      chunks: 3,
    },
    {
      name: 'a resume covering the gap lets the held pieces on',
      steps: [{ resume: ['t3', 'A', 1] }, { append: chunk(3, 'C') }, { append: chunk(4, 'D') }, { resume: ['t3', 'AB', 2] }],
      text: 'ABCD',
      chunks: 4,
    },
    {
      name: 'an older resume does not take back what arrived',
      steps: [{ resume: ['t3', 'A', 1] }, { append: chunk(2, 'B') }, { resume: ['t3', 'A', 1] }],
      text: 'AB',
      chunks: 2,
    },
    {
      name: 'a new turn starts a new reply',
      steps: [{ append: chunk(1, 'old') }, { append: chunk(1, 'new', 't5') }],
      text: 'new',
      chunks: 1,
    },
  ];
  it.each(cases)('$name', ({ steps, text, chunks }) => {
    const s = new ReplyStream();
    for (const step of steps) {
      if ('append' in step) s.append(step.append);
      else s.resume(...step.resume);
    }
    expect(s.getSnapshot()).toMatchObject({ text, chunks });
  });

  it('tells subscribers of each change, and reset forgets held pieces', () => {
    const s = new ReplyStream();
    let calls = 0;
    s.subscribe(() => calls++);
    s.resume('t3', 'A', 1);
    s.append(chunk(3, 'C')); // held: nothing visible changes
    expect(calls).toBe(1);
    s.reset();
    s.resume('t3', 'AB', 2);
    expect(s.getSnapshot()?.text).toBe('AB');
  });
});

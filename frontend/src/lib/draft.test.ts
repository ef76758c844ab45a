import { act, renderHook } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadDraft, saveDraft, useChatDraft, useDraft } from './draft';

const EMPTY = { title: '', text: '', source: '', repaired: false };

describe('draft', () => {
  beforeEach(() => localStorage.clear());

  it('round-trips and survives garbage', () => {
    saveDraft({ title: 'T', text: 'Hello 👋', source: 'a.txt', repaired: true }, localStorage);
    expect(loadDraft(localStorage)).toEqual({ title: 'T', text: 'Hello 👋', source: 'a.txt', repaired: true });
    localStorage.setItem('cara.draft.v1', '{not json');
    expect(loadDraft(localStorage)).toEqual(EMPTY);
    localStorage.setItem('cara.draft.v1', JSON.stringify({ text: 42 }));
    expect(loadDraft(localStorage)).toEqual(EMPTY);
    saveDraft({ title: '', text: '', source: '' }, localStorage);
    expect(localStorage.getItem('cara.draft.v1')).toBeNull();
  });

  it('keeps one draft per account; the first account takes over the draft from before accounts', () => {
    saveDraft({ title: '', text: 'old', source: 'paste' }, localStorage);
    expect(loadDraft(localStorage, 'ana').text).toBe('old');
    saveDraft({ title: '', text: 'mine', source: 'paste' }, localStorage, 'ana');
    expect(localStorage.getItem('cara.draft.v1')).toBeNull();
    expect(loadDraft(localStorage, 'bo')).toEqual(EMPTY);
    saveDraft({ title: '', text: 'theirs', source: 'paste' }, localStorage, 'bo');
    expect(loadDraft(localStorage, 'ana').text).toBe('mine');
    expect(loadDraft(localStorage, 'bo').text).toBe('theirs');
  });

  it('saves the last keystrokes at once when the screen goes away', () => {
    const { result, unmount } = renderHook(() => useDraft('ana'));
    act(() => result.current[1]({ title: '', text: 'typed just now', source: 'paste' }));
    unmount();
    expect(loadDraft(localStorage, 'ana').text).toBe('typed just now');
  });

  it('keeps a chat composer\'s unsent text per chat across a remount, and drops it once cleared', () => {
    const first = renderHook(() => useChatDraft('chat-A'));
    act(() => first.result.current[1]('half-typed answer'));
    first.unmount(); // a reload or a screen switch: saved at once
    expect(renderHook(() => useChatDraft('chat-B')).result.current[0]).toBe('');
    const again = renderHook(() => useChatDraft('chat-A'));
    expect(again.result.current[0]).toBe('half-typed answer');
    act(() => again.result.current[1]('')); // sent
    again.unmount();
    expect(renderHook(() => useChatDraft('chat-A')).result.current[0]).toBe('');
  });
});

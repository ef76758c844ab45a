import { act, renderHook } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { edited, loadDraft, saveDraft, useChatDraft, useDraft, withoutReview } from './draft';

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

  it('remembers the review made from the draft until the text or title changes', () => {
    const reviewed = { title: 'T', text: 'Hello', source: 'paste', reviewId: 'r1' };
    saveDraft(reviewed, localStorage, 'ana');
    expect(loadDraft(localStorage, 'ana')).toEqual({ ...reviewed, repaired: false });
    expect(edited(reviewed, { ...reviewed, source: 'x.txt' }).reviewId).toBe('r1');
    expect(edited(reviewed, { ...reviewed, text: 'Hello!' })).toEqual({ title: 'T', text: 'Hello!', source: 'paste' });
    expect(edited(reviewed, { ...reviewed, title: 'New' }).reviewId).toBeUndefined();
  });

  it('is dropped when its review is deleted, and kept for any other', () => {
    const reviewed = { title: 'T', text: 'Hello', source: 'paste', reviewId: 'r1' };
    expect(withoutReview(reviewed, 'r1')).toEqual(EMPTY);
    expect(withoutReview(reviewed, 'r2')).toBe(reviewed);
    const unsaved = { title: '', text: 'typing', source: 'paste' };
    expect(withoutReview(unsaved, 'r1')).toBe(unsaved);
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

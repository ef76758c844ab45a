import { describe, expect, it } from 'vitest';
import { loadDraft, saveDraft } from './draft';

describe('draft', () => {
  it('round-trips and survives garbage', () => {
    saveDraft({ title: 'T', text: 'Hello 👋', source: 'a.txt', repaired: true }, localStorage);
    expect(loadDraft(localStorage)).toEqual({ title: 'T', text: 'Hello 👋', source: 'a.txt', repaired: true });
    localStorage.setItem('cara.draft.v1', '{not json');
    expect(loadDraft(localStorage)).toEqual({ title: '', text: '', source: '', repaired: false });
    localStorage.setItem('cara.draft.v1', JSON.stringify({ text: 42 }));
    expect(loadDraft(localStorage)).toEqual({ title: '', text: '', source: '', repaired: false });
    saveDraft({ title: '', text: '', source: '' }, localStorage);
    expect(localStorage.getItem('cara.draft.v1')).toBeNull();
  });
});

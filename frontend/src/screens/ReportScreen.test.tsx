import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Review } from '../api';
import { sampleReview } from '../test/fixtures';
import { ReportScreen } from './ReportScreen';

function renderReport(review: Review = sampleReview) {
  const onBack = vi.fn();
  render(<ReportScreen review={review} backLabel="Edit text" onBack={onBack} />);
  return { onBack, user: userEvent.setup() };
}

describe('ReportScreen', () => {
  it('shows the scores, readability, counts and top changes', () => {
    renderReport();
    expect(screen.getByTestId('report')).toBeInTheDocument();
    expect(screen.getByTestId('score-overall')).toHaveAttribute('data-value', '72');
    expect(within(screen.getByTestId('score-overall')).getByText('72')).toBeInTheDocument();
    for (const k of ['clarity', 'concision', 'confidence', 'warmth']) {
      expect(screen.getByTestId(`score-${k}`)).toBeInTheDocument();
    }
    expect(screen.getAllByRole('meter')[0]).toHaveAttribute('aria-valuenow', '72');
    expect(screen.getByTestId('plain-grade')).toHaveTextContent('Easy for most adults');
    expect(within(screen.getByTestId('readability-table')).getAllByRole('row')).toHaveLength(7);
    const changes = within(screen.getByTestId('top-changes')).getAllByRole('listitem');
    expect(changes).toHaveLength(3);
    expect(changes[0]).toHaveTextContent('Drop 1 hedge');
  });

  it('says the character count leaves out spaces, unlike the editor', () => {
    renderReport();
    const term = screen.getByText('Characters (no spaces)');
    expect(term.tagName).toBe('DT');
    expect(term.nextElementSibling).toHaveTextContent('88');
  });

  it('highlights each flag inline: "just" after an emoji is exactly "just"', () => {
    renderReport();
    const marks = screen.getAllByTestId('flag');
    expect(marks.map((m) => [m.textContent, m.dataset.kind])).toEqual([
      ['just', 'filler'],
      ['maybe', 'hedge'],
      ['Sorry to bother you', 'apology'],
      ['was reviewed', 'passive'],
    ]);
    for (const m of marks) expect(m).toHaveAttribute('tabindex', '0');
    expect(screen.getByTestId('flagged-text')).toHaveTextContent(sampleReview.text);
  });

  it('explains a flag on focus and on hover', async () => {
    const { user } = renderReport();
    await user.tab();
    const just = screen.getAllByTestId('flag')[0]!;
    act(() => just.focus());
    const tip = await screen.findByRole('tooltip');
    expect(tip).toHaveTextContent('"just" is a filler word');
    expect(tip).toHaveTextContent('Delete "just"');
    expect(just).toHaveAttribute('aria-describedby', tip.id);
    act(() => just.blur());
    expect(screen.queryByRole('tooltip')).toBeNull();

    const maybe = screen.getAllByTestId('flag')[1]!;
    fireEvent.mouseOver(maybe);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('makes you sound unsure');
    fireEvent.mouseOut(maybe, { relatedTarget: document.body });
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('underlines long sentences with the flags inside them still one mark each', async () => {
    const text = sampleReview.text;
    const long = { start: 0, end: 0, start16: 0, end16: text.indexOf('Sorry') };
    renderReport({
      ...sampleReview,
      report: { ...sampleReview.report, sentences: { ...sampleReview.report.sentences, long: [long] } },
    });
    const marks = screen.getAllByTestId('flag');
    expect(marks).toHaveLength(4);
    const underline = screen.getByTestId('long-sentence');
    expect(within(underline).getAllByTestId('flag').map((m) => m.textContent)).toEqual(['just', 'maybe']);
    const chip = screen.getAllByTestId('legend-chip').find((c) => c.dataset.kind === 'long_sentence')!;
    expect(chip).toHaveTextContent('Long sentences1');
    act(() => within(underline).getByText('just').focus());
    const tip = await screen.findByRole('tooltip');
    expect(tip).toHaveTextContent('Filler words');
    expect(tip).toHaveTextContent('Also: Long sentence');
    expect(tip).toHaveTextContent('Split it into two or three shorter sentences.');
    await userEvent.setup().click(chip);
    expect(screen.queryByTestId('long-sentence')).toBeNull();
    expect(screen.getAllByTestId('flag')).toHaveLength(4);
  });

  it('filters flags by kind from the legend', async () => {
    const { user } = renderReport();
    const filler = screen.getAllByTestId('legend-chip').find((c) => c.dataset.kind === 'filler')!;
    expect(filler).toHaveTextContent('Filler words1');
    await user.click(filler);
    expect(filler).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getAllByTestId('flag').map((m) => m.dataset.kind)).not.toContain('filler');
    await user.click(screen.getByRole('button', { name: 'Show all' }));
    expect(screen.getAllByTestId('flag')).toHaveLength(4);
  });

  it('shows notes such as repaired UTF-8', () => {
    renderReport({
      ...sampleReview,
      report: { ...sampleReview.report, notes: ['Some bytes were not valid UTF-8 and were replaced.'], repairedUtf8: true },
    });
    expect(screen.getByTestId('report-notes')).toHaveTextContent('were replaced');
  });

  it('goes back', async () => {
    const { onBack, user } = renderReport();
    await user.click(screen.getByRole('button', { name: /Edit text/ }));
    expect(onBack).toHaveBeenCalled();
  });
});

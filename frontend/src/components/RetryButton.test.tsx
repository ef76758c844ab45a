import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RetryButton } from './RetryButton';

describe('RetryButton', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-12T16:41:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it("counts down Gemini's wait, refusing clicks, then retries", () => {
    const onClick = vi.fn();
    render(<RetryButton label="Retry reply" onClick={onClick} retryAt="2026-03-12T16:41:17Z" testId="retry" />);
    const button = screen.getByTestId('retry');
    expect(button).toHaveTextContent('Retry reply in 17 s');
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute('data-wait', '17');
    fireEvent.click(button);
    expect(onClick).not.toHaveBeenCalled();

    act(() => vi.advanceTimersByTime(5_000));
    expect(button).toHaveTextContent('Retry reply in 12 s');
    act(() => vi.advanceTimersByTime(12_000));
    expect(button).toHaveTextContent(/^Retry reply$/);
    expect(button).toBeEnabled();
    expect(button).not.toHaveAttribute('data-wait');
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('works at once without a wait, or when the wait is over', () => {
    const { rerender } = render(<RetryButton label="Retry" onClick={() => {}} testId="retry" />);
    expect(screen.getByTestId('retry')).toBeEnabled();
    rerender(<RetryButton label="Retry" onClick={() => {}} retryAt="2026-03-12T16:40:00Z" testId="retry" />);
    expect(screen.getByTestId('retry')).toHaveTextContent(/^Retry$/);
    rerender(<RetryButton label="Retry" onClick={() => {}} retryAt={Date.now() + 2_500} testId="retry" />);
    expect(screen.getByTestId('retry')).toHaveTextContent('Retry in 3 s');
  });
});

import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext';
import { fakeApi } from '../test/fakeApi';
import { usageOk } from '../test/fixtures';
import { BudgetNotice } from './BudgetNotice';

describe('BudgetNotice', () => {
  it('is silent below 80 %, warns from 80 %, and at 100 % says what is paused with a way to Settings', async () => {
    const api = fakeApi();
    const onOpenSettings = vi.fn();
    render(
      <ApiProvider value={api}>
        <BudgetNotice paused="Ask Cara is paused" onOpenSettings={onOpenSettings} />
      </ApiProvider>,
    );
    await act(async () => {}); // the first reading
    expect(screen.queryByTestId('budget-notice')).toBeNull();

    act(() => api.emitUsage({ ...usageOk, used: 41_000, warn: true }));
    const warn = screen.getByTestId('budget-notice');
    expect(warn).toHaveAttribute('data-level', 'warn');
    expect(warn).toHaveTextContent('You have used 82 % of today’s AI budget.');

    act(() => api.emitUsage({ ...usageOk, used: 50_400, warn: true, stop: true }));
    const stop = screen.getByTestId('budget-notice');
    expect(stop).toHaveAttribute('data-level', 'stop');
    expect(stop).toHaveTextContent(
      'Today’s AI budget is used up (50,400 of 50,000 tokens): Ask Cara is paused until tomorrow. Raise it in Settings',
    );
    await userEvent.setup().click(screen.getByTestId('budget-notice-settings'));
    expect(onOpenSettings).toHaveBeenCalled();
  });
});

import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiProvider } from './api/ApiContext';
import { App } from './App';
import { fakeApi } from './test/fakeApi';
import { sampleReview } from './test/fixtures';

function renderApp(api = fakeApi()) {
  render(
    <ApiProvider value={api}>
      <App />
    </ApiProvider>,
  );
  return { api, user: userEvent.setup() };
}

describe('App', () => {
  beforeEach(() => localStorage.clear());

  it('reviews, shows the report, and goes back to the same text', async () => {
    const { user } = renderApp();
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
    expect(screen.getByRole('main')).toBeInTheDocument();
    expect(screen.getByTestId('nav-review')).toHaveAttribute('aria-current', 'page');
    await user.type(screen.getByTestId('review-input'), 'Some text to check.');
    await user.click(screen.getByTestId('review-submit'));
    expect(await screen.findByTestId('report')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(sampleReview.title);
    await waitFor(() => expect(document.title).toBe(`${sampleReview.title} — Cara`));
    await user.click(screen.getByRole('button', { name: /Edit text/ }));
    expect(screen.getByTestId('review-input')).toHaveValue('Some text to check.');
  });

  it('opens a saved review from History and returns to the list', async () => {
    const { user } = renderApp();
    await user.click(screen.getByTestId('nav-history'));
    const [item] = await screen.findAllByTestId('history-item');
    await user.click(within(item!).getByText(sampleReview.title));
    expect(await screen.findByTestId('report')).toBeInTheDocument();
    expect(screen.getByTestId('nav-history')).toHaveAttribute('aria-current', 'page');
    await user.click(screen.getByRole('button', { name: /All reviews/ }));
    expect(await screen.findAllByTestId('history-item')).toHaveLength(1);
  });

  it('shows where data lives', async () => {
    renderApp();
    expect(await screen.findByTestId('data-dir')).toHaveTextContent('/data');
  });
});

import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Chat } from '../api';
import { ApiProvider } from '../api/ApiContext';
import { fakeApi } from '../test/fakeApi';
import { chatAfter, sampleCatalog } from '../test/fixtures';
import { ChatView } from './ChatView';

/** The chat as Get returns it mid-reply: the reply "streaming" with its text so far. */
function midReply(text: string, chunks: number): Chat {
  const chat = chatAfter('How does the team work?', text, 'streaming');
  chat.turns[chat.turns.length - 1]!.chunks = chunks;
  return chat;
}

function setup(first: Chat, api = fakeApi()) {
  const onChange = vi.fn();
  function Host() {
    const [chat, setChat] = useState(first);
    return (
      <ChatView
        chat={chat}
        catalog={{ state: 'ready', catalog: sampleCatalog }}
        onChange={(next) => {
          onChange(next);
          setChat(next);
        }}
        announce={() => {}}
      />
    );
  }
  render(
    <ApiProvider value={api}>
      <Host />
    </ApiProvider>,
  );
  return { api, onChange, user: userEvent.setup() };
}

const streamingText = () => screen.getByTestId('chat-streaming').querySelector('.turn-text')?.textContent;

describe('ChatView — a chat opened while its reply streams (after a reload)', () => {
  it('shows the text so far, adds the pieces that follow once each, offers Stop, and ends with the saved chat', async () => {
    const api = fakeApi({ practice: { get: () => Promise.resolve(midReply('Well, I ', 2)) } });
    const { onChange, user } = setup(midReply('Well, ', 1), api);

    expect(screen.getByTestId('chat')).toHaveAttribute('data-phase', 'following');
    expect(screen.queryByText('The reply stopped here.')).not.toBeInTheDocument();
    // Read again after listening: the text grows to what Go has now.
    await waitFor(() => expect(streamingText()).toBe('Well, I '));
    expect(api.practice.get).toHaveBeenCalledWith('chat-1');

    act(() => {
      api.emitChunk({ chatId: 'chat-1', turnId: 't3', text: 'I ', seq: 2, at: 0 }); // already in the text
      api.emitChunk({ chatId: 'chat-1', turnId: 't3', text: 'see.', seq: 3, at: 0 });
    });
    expect(streamingText()).toBe('Well, I see.');
    expect(screen.queryByTestId('chat-send')).not.toBeInTheDocument();
    expect(screen.getByTestId('chat-end')).toBeDisabled();

    await user.click(screen.getByTestId('chat-stop'));
    expect(api.practice.stop).toHaveBeenCalledWith('chat-1');

    const done = chatAfter('How does the team work?', 'Well, I see.', 'partial', 'Stopped');
    act(() => api.emitReply({ chatId: 'other', chat: null, error: '' })); // another chat's: ignored
    expect(onChange).not.toHaveBeenCalled();
    act(() => api.emitReply({ chatId: 'chat-1', chat: done, error: '' }));
    expect(onChange).toHaveBeenCalledWith(done);
    expect(screen.queryByTestId('chat-streaming')).not.toBeInTheDocument();
    expect(screen.getByTestId('chat')).toHaveAttribute('data-phase', 'idle');
    expect(screen.getByTestId('chat-retry')).toBeInTheDocument();
    expect(api.listeners().reply).toBe(0);
  });

  it('takes the finished chat when the reply ended before the view listened', async () => {
    const done = chatAfter('How does the team work?', 'Well, I see.');
    const api = fakeApi({ practice: { get: () => Promise.resolve(done) } });
    const { onChange } = setup(midReply('Well, ', 1), api);
    await waitFor(() => expect(onChange).toHaveBeenCalledWith(done));
    expect(screen.queryByTestId('chat-streaming')).not.toBeInTheDocument();
    expect(screen.getByTestId('chat-send')).toBeInTheDocument();
  });

  it('a complete chat is not followed', () => {
    const api = fakeApi();
    setup(chatAfter('Hi', 'Hello'), api);
    expect(screen.getByTestId('chat')).toHaveAttribute('data-phase', 'idle');
    expect(api.practice.get).not.toHaveBeenCalled();
    expect(api.listeners().reply).toBe(0);
  });
});

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { newId } from '../api/index.ts';
import { useServices } from '../services/index.ts';
import { Conversation } from './Conversation.tsx';
import { latestConversation } from './history.ts';

/** The assistant: the latest conversation, continued; "New conversation" starts another. */
export default function AssistantPanel() {
  const { api } = useServices();
  const [fresh, setFresh] = useState<string | null>(null);
  const latest = useQuery({
    queryKey: ['conversations', 'latest'],
    queryFn: () => latestConversation(api),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const [newIdForEmpty] = useState(newId);

  let body;
  if (fresh) body = <Conversation key={fresh} id={fresh} initialMessages={[]} />;
  else if (latest.isPending) body = <p role="status">Loading the conversation…</p>;
  else if (latest.isError)
    body = (
      <div role="alert">
        <p>Could not load the conversation: {latest.error.message}</p>
        <button type="button" onClick={() => void latest.refetch()}>
          Try again
        </button>
      </div>
    );
  else {
    const found = latest.data;
    body = found ? (
      <Conversation key={found.id} id={found.id} initialMessages={found.messages} />
    ) : (
      <Conversation key={newIdForEmpty} id={newIdForEmpty} initialMessages={[]} />
    );
  }

  return (
    <div className="assistant">
      <div className="assistant-header">
        <h2 id="assistant-title">Assistant</h2>
        <button type="button" className="link-button" onClick={() => setFresh(newId())}>
          New conversation
        </button>
      </div>
      {body}
    </div>
  );
}

import { useEffect, useRef, useState } from 'preact/hooks';

/** A short confirmation after an action, cleared after a few seconds. */
export function useNotice(): [string | null, (message: string | null) => void] {
  const [message, setMessage] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  return [
    message,
    (next) => {
      clearTimeout(timer.current);
      setMessage(next);
      if (next) timer.current = setTimeout(() => setMessage(null), 6000);
    },
  ];
}

/** Where that confirmation shows: fixed at the bottom of the screen, read out politely. */
export function Toast({ message }: { message: string | null }) {
  return (
    <p class="ad-toast" role="status">
      {message}
    </p>
  );
}

import { useEffect } from 'react';

/**
 * While `message` is set, the tab's title alternates between it and the page's own title every
 * second, so an agent working in another tab sees that something wants them; restored after.
 */
export function useTitleFlash(message: string | null): void {
  useEffect(() => {
    if (message === null) return;
    const own = document.title;
    let showing = false;
    const flip = () => {
      showing = !showing;
      document.title = showing ? message : own;
    };
    flip();
    const timer = window.setInterval(flip, 1000);
    return () => {
      window.clearInterval(timer);
      document.title = own;
    };
  }, [message]);
}

/**
 * Sends each call's reports one after another, in the order they were made: a busy answer comes
 * back within milliseconds of the INVITE, and a `dialled` overtaken by its `ended` would be
 * ignored by the server (nothing is recorded after the hang-up). Calls do not wait for each other.
 * A report that fails is dropped (each is idempotent; a lost one leaves the fact unrecorded, never
 * wrong) and the next still goes.
 */
export function serialReports<S>(send: (callId: number, signal: S) => Promise<unknown>) {
  const tails = new Map<number, Promise<void>>();
  return (callId: number, signal: S): Promise<void> => {
    const next = (tails.get(callId) ?? Promise.resolve())
      .then(() => send(callId, signal))
      .then(
        () => undefined,
        () => undefined,
      );
    tails.set(callId, next);
    void next.then(() => {
      if (tails.get(callId) === next) tails.delete(callId);
    });
    return next;
  };
}

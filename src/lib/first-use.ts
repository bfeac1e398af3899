// Something made by an asynchronous step (a dynamic import, a connection) the first time it is
// asked for, and shared by every caller after that: how the server loads libraries an anonymous
// reader never needs (ADR 10, "libraries loaded when first used"). A step that fails is not
// remembered, so the next caller tries again.
export function madeOnFirstUse<T>(make: () => Promise<T>) {
  let made: Promise<T> | null = null;
  return {
    get: (): Promise<T> =>
      (made ??= make().catch((err: unknown) => {
        made = null;
        throw err;
      })),
    // What has been asked for so far, or null: to close only what was opened.
    ifMade: (): Promise<T> | null => made,
  };
}

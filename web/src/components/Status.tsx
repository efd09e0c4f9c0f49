import type { ComponentChildren } from 'preact';

/** A message that screen readers announce politely when it changes. */
export function Status({ children }: { children: ComponentChildren }) {
  return (
    <p role="status" class="status">
      {children}
    </p>
  );
}

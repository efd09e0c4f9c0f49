// A very small client-side router over the History API.
import type { ComponentChildren, TargetedMouseEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export type Location = { pathname: string; search: string };

const listeners = new Set<() => void>();
let focusPending = false;

function current(): Location {
  return { pathname: window.location.pathname, search: window.location.search };
}

function notify(): void {
  for (const l of listeners) l();
}

/** Go to another page of the app. */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url.href);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  const here = window.location.pathname + window.location.search + window.location.hash;
  if (opts.replace || target === here) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  focusPending = true;
  window.scrollTo(0, 0);
  notify();
}

/**
 * True once after a client-side navigation: the next page to mount should
 * move focus to its heading. The first page load leaves focus where the
 * browser puts it.
 */
export function takeFocusRequest(): boolean {
  const pending = focusPending;
  focusPending = false;
  return pending;
}

let lastPath = typeof window === 'undefined' ? '' : window.location.pathname + window.location.search;

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    const path = window.location.pathname + window.location.search;
    if (path === lastPath) return; // only the hash changed
    focusPending = true;
    notify();
  });
}

/**
 * Changes the query of the address in place, without moving to another page: for a
 * search whose filters should be shareable. The page keeps its state and focus.
 */
export function replaceQuery(search: string): void {
  const query = search ? (search.startsWith('?') ? search : `?${search}`) : '';
  const target = window.location.pathname + query + window.location.hash;
  window.history.replaceState(null, '', target);
  lastPath = window.location.pathname + window.location.search;
}

/** A path of this app to come back to after signing in, or null when `value` is anything else. */
export function safeReturnPath(value: string | null): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  return value;
}

export function useLocation(): Location {
  const [loc, setLoc] = useState<Location>(current);
  useEffect(() => {
    const update = () => {
      const next = current();
      lastPath = next.pathname + next.search;
      setLoc(next);
    };
    listeners.add(update);
    update();
    return () => {
      listeners.delete(update);
    };
  }, []);
  return loc;
}

type LinkProps = {
  href: string;
  class?: string;
  'aria-current'?: 'page' | undefined;
  children?: ComponentChildren;
  onClick?: (e: TargetedMouseEvent<HTMLAnchorElement>) => void;
};

/** An ordinary link that navigates without reloading the page. */
export function Link({ href, onClick, ...rest }: LinkProps) {
  const handle = (e: TargetedMouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented) return;
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const url = new URL(href, window.location.href);
    if (url.origin !== window.location.origin) return;
    e.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  };
  return <a href={href} onClick={handle} {...rest} />;
}

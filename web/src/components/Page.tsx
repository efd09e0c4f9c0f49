import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { takeFocusRequest } from '../router';

type Props = {
  /** Page heading; also used for the document title. */
  title: string;
  /** Document title when it should differ from the heading. */
  documentTitle?: string;
  /** Extra class for the page wrapper (e.g. a narrow form layout). */
  class?: string;
  children?: ComponentChildren;
};

export function Page({ title, documentTitle, class: cls, children }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  const docTitle = documentTitle ?? title;

  useLayoutEffect(() => {
    document.title = docTitle === 'Staffroom' ? 'Staffroom' : `${docTitle} · Staffroom`;
  }, [docTitle]);

  useLayoutEffect(() => {
    if (takeFocusRequest()) heading.current?.focus();
  }, []);

  return (
    <div class={cls ? `page ${cls}` : 'page'}>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}

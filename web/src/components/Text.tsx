/** Text typed by people, as paragraphs separated by blank lines; never read as HTML. */
export function Paragraphs({ text }: { text: string | null | undefined }) {
  const paragraphs = (text ?? '')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return (
    <>
      {paragraphs.map((p, i) => (
        <p key={i} class="lines">
          {p}
        </p>
      ))}
    </>
  );
}

/** Whether a web address given by someone else is an ordinary http(s) one, safe to link. */
export function isWebAddress(url: string | null | undefined): url is string {
  return !!url && /^https?:\/\//i.test(url);
}

/** A link to a web address given by someone else, only when it is an ordinary http(s) one. */
export function WebsiteLink({ url, name }: { url: string; name: string }) {
  if (!isWebAddress(url)) return <span class="muted">No website</span>;
  return (
    <a href={url} rel="noopener" class="website">
      {url}
      <span class="visually-hidden"> (website of {name})</span>
    </a>
  );
}

/**
 * HTML the server has rendered from Markdown and cleaned of raw HTML (an activity's
 * `description_html`); shown as it is.
 */
export function ServerHtml({ html }: { html: string }) {
  return <div class="prose" dangerouslySetInnerHTML={{ __html: html }} />;
}

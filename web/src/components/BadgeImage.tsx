import { useState } from 'preact/hooks';

/** An image address the app shows: an ordinary http(s) one, this site's own, or an inline image. */
function showable(url: string | null | undefined): url is string {
  return !!url && (/^https?:\/\//i.test(url) || /^data:image\//i.test(url) || (url.startsWith('/') && !url.startsWith('//')));
}

/**
 * The picture of a badge. Without one (or when it does not load) a plain badge is drawn
 * instead, which is decorative: the achievement's name is always written next to it.
 */
export function BadgeImage({
  url,
  alt,
  size = 'large',
}: {
  url: string | null | undefined;
  /** What the image shows; "" where the name next to it says everything. */
  alt: string;
  size?: 'large' | 'small';
}) {
  const [failed, setFailed] = useState(false);
  const cls = `badge-image badge-image-${size}`;
  if (showable(url) && !failed) {
    return <img class={cls} src={url} alt={alt} loading="lazy" decoding="async" onError={() => setFailed(true)} />;
  }
  return (
    <svg class={`${cls} badge-placeholder`} viewBox="0 0 120 120" aria-hidden="true" focusable="false">
      <path class="badge-placeholder-ribbon" d="M38 78 L26 114 L44 106 L52 120 L60 86 Z M82 78 L94 114 L76 106 L68 120 L60 86 Z" />
      <circle class="badge-placeholder-disc" cx="60" cy="52" r="44" />
      <circle class="badge-placeholder-ring" cx="60" cy="52" r="34" />
      <path
        class="badge-placeholder-star"
        d="M60 30 L66.5 44.5 L82 46 L70.3 56.5 L73.6 72 L60 64 L46.4 72 L49.7 56.5 L38 46 L53.5 44.5 Z"
      />
    </svg>
  );
}

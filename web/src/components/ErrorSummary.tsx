import type { ComponentChildren } from 'preact';

export type SummaryItem = { message: ComponentChildren; fieldId?: string | undefined };

type Props = {
  title?: string;
  items: SummaryItem[];
};

/** A list of everything that went wrong, announced as soon as it appears. */
export function ErrorSummary({ title = 'There is a problem', items }: Props) {
  if (items.length === 0) return <div role="alert" class="alert-slot" />;
  return (
    <div role="alert" class="alert-slot">
      <div class="error-summary">
        <h2>{title}</h2>
        <ul>
          {items.map((item, i) => (
            <li key={i}>
              {item.fieldId ? (
                <a
                  href={`#${item.fieldId}`}
                  onClick={(e) => {
                    const el = document.getElementById(item.fieldId as string);
                    if (el) {
                      e.preventDefault();
                      el.focus();
                    }
                  }}
                >
                  {item.message}
                </a>
              ) : (
                item.message
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

export type Bar = { label: string; value: number; detail?: string };

/**
 * Horizontal bars on one scale, drawn in SVG with a title and a description that reads out
 * every figure, followed by the same figures as a table for anyone who prefers one.
 */
export function HorizontalBarChart({
  id,
  title,
  unit,
  bars,
  labelHeader,
}: {
  id: string;
  title: string;
  /** What the values count, for the description and the table: "hours". */
  unit: string;
  bars: Bar[];
  /** The table's heading for the labels: "School". */
  labelHeader: string;
}) {
  if (bars.length === 0) {
    return (
      <figure class="chart" aria-labelledby={`${id}-caption`}>
        <figcaption id={`${id}-caption`}>{title}</figcaption>
        <p class="muted">Nothing approved yet.</p>
      </figure>
    );
  }
  const max = Math.max(1e-9, ...bars.map((b) => b.value));
  const rowHeight = 30;
  const labelWidth = 190;
  const barSpace = 220;
  const valueSpace = 70;
  const height = bars.length * rowHeight + 8;
  const clip = (s: string) => (s.length > 26 ? `${s.slice(0, 25)}…` : s);
  const description = `${bars.map((b) => `${b.label}: ${numberFormat.format(b.value)} ${unit}`).join('; ')}.`;
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <svg
        viewBox={`0 0 ${labelWidth + barSpace + valueSpace} ${height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        class="chart-svg"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {bars.map((b, i) => {
          const y = i * rowHeight + 4;
          const w = Math.max(2, Math.round((b.value / max) * barSpace));
          return (
            <g key={`${b.label}-${i}`}>
              <text x={labelWidth - 8} y={y + 17} text-anchor="end" class="chart-label">
                {clip(b.label)}
              </text>
              <rect x={labelWidth} y={y + 3} width={w} height={rowHeight - 10} rx={3} class="chart-bar" />
              <text x={labelWidth + w + 6} y={y + 17} class="chart-value">
                {numberFormat.format(b.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <details class="chart-table">
        <summary>
          Show the figures as a table<span class="visually-hidden">: {title}</span>
        </summary>
        <div class="table-wrap">
          <table class="data">
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{labelHeader}</th>
                <th scope="col">{unit.charAt(0).toUpperCase() + unit.slice(1)}</th>
                {bars.some((b) => b.detail) ? <th scope="col">Details</th> : null}
              </tr>
            </thead>
            <tbody>
              {bars.map((b, i) => (
                <tr key={`${b.label}-${i}`}>
                  <th scope="row">{b.label}</th>
                  <td>{numberFormat.format(b.value)}</td>
                  {bars.some((x) => x.detail) ? <td>{b.detail ?? ''}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

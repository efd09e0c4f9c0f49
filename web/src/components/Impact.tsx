import type { Impact } from '../api';

const numberFormat = new Intl.NumberFormat();
const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });

type Bar = { label: string; value: number };

/** Horizontal bars on one scale, drawn in SVG, with the same figures as text for everyone. */
function BarChart({ id, title, bars }: { id: string; title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowHeight = 34;
  const labelWidth = 170;
  const barSpace = 170;
  const height = bars.length * rowHeight + 8;
  const description = bars.map((b) => `${b.label}: ${numberFormat.format(b.value)}`).join('; ');
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${labelWidth + barSpace + 60} ${height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        class="chart-svg"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {bars.map((b, i) => {
          const y = i * rowHeight + 4;
          const w = Math.round((b.value / max) * barSpace);
          return (
            <g key={b.label}>
              <text x={labelWidth - 8} y={y + 19} text-anchor="end" class="chart-label">
                {b.label}
              </text>
              <rect x={labelWidth} y={y + 4} width={Math.max(w, 2)} height={rowHeight - 12} rx={3} class="chart-bar" />
              <text x={labelWidth + Math.max(w, 2) + 6} y={y + 19} class="chart-value">
                {numberFormat.format(b.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}

/** A share from 0 to 1 as a filled bar, with the percentage as text. */
function ShareGauge({ id, label, share }: { id: string; label: string; share: number }) {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(share) ? share : 0));
  const text = percentFormat.format(clamped);
  return (
    <figure class="chart">
      <svg viewBox="0 0 400 36" role="img" aria-labelledby={`${id}-title`} class="chart-svg gauge">
        <title id={`${id}-title`}>{`${label}: ${text}`}</title>
        <rect x={0} y={6} width={340} height={24} rx={4} class="gauge-track" />
        <rect x={0} y={6} width={Math.round(340 * clamped)} height={24} rx={4} class="chart-bar" />
        <text x={348} y={24} class="chart-value">
          {text}
        </text>
      </svg>
      <figcaption>
        {label}: <strong>{text}</strong>
      </figcaption>
    </figure>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div class="figure">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** What a campaign has achieved so far: partners, activities, partnerships and participation. */
export function ImpactFigures({ impact }: { impact: Impact }) {
  const n = (v: number) => numberFormat.format(v ?? 0);
  return (
    <>
      <dl class="figures">
        <Figure label="Partner organizations" value={n(impact.organizations)} />
        <Figure label="Activities" value={n(impact.activities)} />
        <Figure label="Facilitators" value={n(impact.facilitators)} />
        <Figure label="Co-hosted activities" value={n(impact.co_hosted_activities)} />
        <Figure label="Activities by new partnerships" value={n(impact.new_partnership_activities)} />
        <Figure label="Registrations" value={n(impact.registrations)} />
        <Figure label="Educators who attended" value={n(impact.attendees)} />
        <Figure label="PD hours attended" value={numberFormat.format(impact.pd_hours ?? 0)} />
      </dl>
      <div class="charts">
        <BarChart
          id="impact-activities"
          title="Activities and partnerships"
          bars={[
            { label: 'Approved activities', value: impact.activities },
            { label: 'Co-hosted', value: impact.co_hosted_activities },
            { label: 'New partnerships', value: impact.new_partnership_activities },
          ]}
        />
        <ShareGauge
          id="impact-share"
          label="Share of activities by new partnerships"
          share={impact.new_partnership_share}
        />
      </div>
    </>
  );
}

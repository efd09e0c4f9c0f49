import { useEffect, useState } from 'preact/hooks';
import { describeError, signedOut } from '../api';
import { HorizontalBarChart } from '../components/BarChart';
import type { Bar } from '../components/BarChart';
import { DistrictFrame } from '../components/CreditParts';
import type { DistrictContext } from '../components/CreditParts';
import { creditApi, creditDownloads, creditHref, formatName } from '../credit';
import type { CreditReport, ReportRow } from '../credit';
import { Link } from '../router';

function bars(rows: ReportRow[], label: (key: string) => string): Bar[] {
  return [...rows]
    .sort((a, b) => b.clock_hours - a.clock_hours || a.key.localeCompare(b.key))
    .map((r) => ({
      label: label(r.key),
      value: r.clock_hours,
      detail: `${r.claims} claim${r.claims === 1 ? '' : 's'}, ${r.educators} educator${r.educators === 1 ? '' : 's'}`,
    }));
}

function Reports({ district, onSignedOut }: DistrictContext) {
  const slug = district.slug;
  const [report, setReport] = useState<CreditReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    creditApi
      .report(slug)
      .then(setReport)
      .catch((err: unknown) => {
        if (!signedOut(err, onSignedOut)) setError(describeError(err));
      });
  }, [slug]);

  if (error) return <p class="notice notice-error">Could not load the reports. {error}</p>;
  if (!report) return <p role="status">Loading the reports…</p>;
  return (
    <>
      <p>Approved clock hours of the district’s educators, counted from every approved claim.</p>
      <dl class="figures">
        <div class="figure">
          <dt>Claims waiting for a decision</dt>
          <dd>{report.pending_claims}</dd>
        </div>
      </dl>
      <p class="actions">
        <Link href={creditHref.queue(slug)}>Work the claims queue</Link>
        <a class="button button-secondary" href={creditDownloads.licensure(slug)} download>
          Download licensure CSV
        </a>
      </p>
      <p class="muted">
        The licensure file has one row per approved claim: the educator’s email and name, school, district, claim, tier,
        dates, clock hours, CEUs, semester credits, policy version and approver.
      </p>
      <div class="charts report-charts">
        <HorizontalBarChart
          id="report-school"
          title="Approved hours by school"
          unit="hours"
          labelHeader="School"
          bars={bars(report.by.school, (k) => k || 'No school')}
        />
        <HorizontalBarChart
          id="report-format"
          title="Approved hours by format"
          unit="hours"
          labelHeader="Format"
          bars={bars(report.by.format, formatName)}
        />
        <HorizontalBarChart
          id="report-theme"
          title="Approved hours by theme"
          unit="hours"
          labelHeader="Theme"
          bars={bars(report.by.theme, (k) => k || 'No theme')}
        />
        <HorizontalBarChart
          id="report-provider"
          title="Approved hours by provider"
          unit="hours"
          labelHeader="Provider"
          bars={bars(report.by.provider, (k) => k || 'Self-reported (no provider)')}
        />
      </div>
    </>
  );
}

export function CreditReports({ slug }: { slug: string }) {
  return (
    <DistrictFrame slug={slug} title="Credit reports" here={creditHref.reports(slug)} need="approver">
      {(ctx) => <Reports {...ctx} />}
    </DistrictFrame>
  );
}

// Reads an LRS conformance suite run log and prints its totals and every
// failed test with its requirement and error. Exits 1 unless every test
// counted ran and passed.
import { readFileSync } from 'node:fs';

const run = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { total, passed, failed, version } = run.summary;
console.log(`xapi-conformance: ${version}: ${passed} of ${total} passed, ${failed} failed`);

const failures = [];
function walk(node, titles) {
  const children = (node.tests || []).filter(Boolean);
  const here = node.title ? [...titles, node.title] : titles;
  if (children.length === 0 && node.status === 'failed') failures.push({ path: here.join(' > '), error: node.error });
  for (const child of children) walk(child, here);
}
walk(run.log || {}, []);
for (const f of failures) {
  const error = typeof f.error === 'string' ? f.error : JSON.stringify(f.error);
  console.log(`  FAIL ${f.path}\n       ${(error || '').split('\n')[0].slice(0, 300)}`);
}
process.exit(failed === 0 && passed === total ? 0 : 1);

// A strict parser for the Prometheus text exposition format (version 0.0.4).

function parseValue(s, line) {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) {
    throw new Error(`bad sample value ${JSON.stringify(s)} in line ${JSON.stringify(line)}`);
  }
  return Number(s);
}

function parseLabels(text, line) {
  // text is what is between { and } (exclusive)
  const labels = {};
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ') i += 1;
    if (i >= text.length) break;
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
    if (!m) throw new Error(`bad label name in ${JSON.stringify(line)}`);
    const name = m[0];
    i += name.length;
    while (text[i] === ' ') i += 1;
    if (text[i] !== '=') throw new Error(`expected = after label ${name} in ${JSON.stringify(line)}`);
    i += 1;
    while (text[i] === ' ') i += 1;
    if (text[i] !== '"') throw new Error(`expected " for label ${name} in ${JSON.stringify(line)}`);
    i += 1;
    let value = '';
    for (;;) {
      if (i >= text.length) throw new Error(`unterminated label value in ${JSON.stringify(line)}`);
      const c = text[i];
      if (c === '\\') {
        const n = text[i + 1];
        if (n === 'n') value += '\n';
        else if (n === '\\') value += '\\';
        else if (n === '"') value += '"';
        else throw new Error(`bad escape \\${n} in ${JSON.stringify(line)}`);
        i += 2;
      } else if (c === '"') {
        i += 1;
        break;
      } else {
        value += c;
        i += 1;
      }
    }
    if (name in labels) throw new Error(`duplicate label ${name} in ${JSON.stringify(line)}`);
    labels[name] = value;
    while (text[i] === ' ') i += 1;
    if (text[i] === ',') i += 1;
    else if (i < text.length) throw new Error(`expected , between labels in ${JSON.stringify(line)}`);
  }
  return labels;
}

/** Splits a sample line into name, label text and the rest, honouring quoted label values. */
function splitSample(line) {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  if (!m) throw new Error(`bad metric name in ${JSON.stringify(line)}`);
  const name = m[1];
  let i = name.length;
  let labelText = '';
  if (line[i] === '{') {
    let j = i + 1;
    let inQuotes = false;
    for (; j < line.length; j += 1) {
      const c = line[j];
      if (inQuotes) {
        if (c === '\\') j += 1;
        else if (c === '"') inQuotes = false;
      } else if (c === '"') inQuotes = true;
      else if (c === '}') break;
    }
    if (j >= line.length) throw new Error(`unterminated labels in ${JSON.stringify(line)}`);
    labelText = line.slice(i + 1, j);
    i = j + 1;
  }
  const rest = line.slice(i).trim().split(/\s+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '') throw new Error(`bad sample line ${JSON.stringify(line)}`);
  return { name, labelText, value: rest[0], timestamp: rest[1] };
}

/**
 * Parses exposition text. Returns a Map from family name to
 * { name, type, help, samples: [{ name, labels, value }] }.
 * Histogram/summary samples (_bucket, _sum, _count) are filed under their family.
 */
export function parsePrometheus(text) {
  const families = new Map();
  const family = (name) => {
    if (!families.has(name)) families.set(name, { name, type: 'untyped', help: null, samples: [] });
    return families.get(name);
  };
  const lines = text.split('\n');
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s+(.*))?$/.exec(line);
      if (!m) continue; // a plain comment
      const f = family(m[2]);
      if (m[1] === 'TYPE') {
        const type = (m[3] || '').trim();
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type)) {
          throw new Error(`bad TYPE in ${JSON.stringify(line)}`);
        }
        if (f.samples.length > 0) throw new Error(`TYPE after samples for ${m[2]}`);
        f.type = type;
      } else {
        f.help = (m[3] || '').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      }
      continue;
    }
    const s = splitSample(line);
    const sample = { name: s.name, labels: parseLabels(s.labelText, line), value: parseValue(s.value, line) };
    if (s.timestamp !== undefined && !/^-?\d+$/.test(s.timestamp)) throw new Error(`bad timestamp in ${JSON.stringify(line)}`);
    let owner = null;
    const suffix = /^(.*)_(bucket|sum|count)$/.exec(s.name);
    if (suffix && families.has(suffix[1]) && ['histogram', 'summary'].includes(families.get(suffix[1]).type)) {
      owner = families.get(suffix[1]);
    } else {
      owner = family(s.name);
    }
    owner.samples.push(sample);
  }
  return families;
}

/** Samples of a family matching all the given labels. */
export function samplesWith(familyObj, name, labels = {}) {
  return familyObj.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

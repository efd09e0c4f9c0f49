// Reads the route table of docs/API.md and walks the served OpenAPI document.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './server.mjs';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
export const ROLES = ['public', 'educator', 'org_staff', 'district_admin', 'campaign_organizer', 'site_admin'];

/** Routes of the table in docs/API.md: [{ method, path, role, request }] (request: that column's text). */
export function documentedRoutes() {
  const text = readFileSync(path.join(repoRoot, 'docs', 'API.md'), 'utf8');
  const routes = [];
  for (const line of text.split('\n')) {
    const m = /^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*`([^`]+)`\s*\|\s*([a-z_]+)\s*\|([^|]*)\|/.exec(line);
    if (m) routes.push({ method: m[1], path: m[2], role: m[3], request: m[4].trim() });
  }
  if (routes.length === 0) throw new Error('no routes found in docs/API.md');
  return routes;
}

/** Every operation of an OpenAPI document: [{ method (upper case), path, op, pathItem }]. */
export function operations(doc) {
  const out = [];
  for (const [p, item] of Object.entries(doc.paths || {})) {
    for (const m of HTTP_METHODS) {
      if (item && item[m]) out.push({ method: m.toUpperCase(), path: p, op: item[m], pathItem: item });
    }
  }
  return out;
}

/** Names of the {parameters} in a path template. */
export function pathParams(template) {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

import { readFileSync } from 'node:fs';
import { EVENT_FIELDS, EVENT_TYPES, formatPath, own } from '@vitrine/contracts';
import type { z } from 'zod';
import { PolicyError } from './errors';
import { type Policy, PolicySchema } from './schema';

interface Problem {
  path: string;
  problem: string;
}

function firstIssue(error: z.ZodError): Problem {
  const issue = error.issues[0];
  if (issue === undefined) return { path: '', problem: 'invalid policy' };
  if (issue.code === 'unrecognized_keys') {
    return { path: formatPath(issue.path), problem: `unknown field(s): ${issue.keys.join(', ')}` };
  }
  if (issue.code === 'invalid_key') {
    // zod says only "Invalid key in record"; the key's own problem says what to change.
    return { path: formatPath(issue.path), problem: issue.issues[0]?.message ?? 'invalid id' };
  }
  return { path: formatPath(issue.path), problem: issue.message };
}

/**
 * Cross-reference checks that a schema cannot express. Returns the first problem found. Every
 * lookup is by own key (`Object.hasOwn`, `own`): `"constructor" in {}` is true.
 */
function crossCheck(policy: Policy): Problem | undefined {
  const { categories, purposes, recipients } = policy;
  for (const [id, purpose] of Object.entries(purposes)) {
    for (const [i, cat] of purpose.categories.entries()) {
      if (!Object.hasOwn(categories, cat)) {
        return { path: `purposes.${id}.categories[${i}]`, problem: `unknown category "${cat}"` };
      }
    }
    for (const [i, rec] of purpose.recipients.entries()) {
      if (!Object.hasOwn(recipients, rec)) {
        return { path: `purposes.${id}.recipients[${i}]`, problem: `unknown recipient "${rec}"` };
      }
    }
  }

  const offered = new Set<string>();
  let previous = new Set<string>();
  for (const [level, entry] of policy.levels.entries()) {
    if (level === 0 && entry.purposes.length > 0) {
      return {
        path: 'levels[0].purposes',
        problem: 'level 0 uses nothing about the person and has no purposes',
      };
    }
    const current = new Set(entry.purposes);
    for (const [i, id] of entry.purposes.entries()) {
      const path = `levels[${level}].purposes[${i}]`;
      const purpose = own(purposes, id);
      if (purpose === undefined) return { path, problem: `unknown purpose "${id}"` };
      if (purpose.marketing) {
        return {
          path,
          problem: `"${id}" is direct marketing and may only be offered as its own switch (O3)`,
        };
      }
      offered.add(id);
    }
    for (const id of previous) {
      if (!current.has(id)) {
        return {
          path: `levels[${level}].purposes`,
          problem: `levels must be nested: level ${level} lacks "${id}" of level ${level - 1}`,
        };
      }
    }
    previous = current;
  }

  for (const [i, id] of policy.switches.entries()) {
    const path = `switches[${i}]`;
    if (!Object.hasOwn(purposes, id)) return { path, problem: `unknown purpose "${id}"` };
    if (offered.has(id)) return { path, problem: `"${id}" is part of a level and cannot also be a switch` };
    offered.add(id);
  }

  for (const [id, purpose] of Object.entries(purposes)) {
    const path = `purposes.${id}.legal_basis.type`;
    const consentBased = purpose.legal_basis.type === 'consent';
    if (offered.has(id) && !consentBased) {
      return { path, problem: 'a purpose offered in a level or as a switch is based on consent' };
    }
    if (!offered.has(id) && consentBased) {
      return { path: `purposes.${id}`, problem: 'a consent-based purpose must be in a level or be a switch' };
    }
  }

  for (const type of EVENT_TYPES) {
    const rule = policy.events[type];
    const base = `events.${type}`;
    if (!Object.hasOwn(categories, rule.category)) {
      return { path: `${base}.category`, problem: `unknown category "${rule.category}"` };
    }
    const allowed = EVENT_FIELDS[type];
    for (const [i, field] of rule.fields.entries()) {
      if (!allowed.includes(field)) {
        return {
          path: `${base}.fields[${i}]`,
          problem: `"${field}" is not a field of ${type} events (allowed: ${allowed.join(', ')})`,
        };
      }
    }
    for (const [field, cat] of Object.entries(rule.field_categories)) {
      const path = `${base}.field_categories.${field}`;
      if (!rule.fields.includes(field))
        return { path, problem: `"${field}" is not among the declared fields` };
      if (!Object.hasOwn(categories, cat)) return { path, problem: `unknown category "${cat}"` };
    }
  }
  return undefined;
}

/** Validates a policy document; `source` names it in errors (usually the file path). */
export function parsePolicy(json: unknown, source: string): Policy {
  const parsed = PolicySchema.safeParse(json);
  if (!parsed.success) {
    const { path, problem } = firstIssue(parsed.error);
    throw new PolicyError(source, path, problem, { cause: parsed.error });
  }
  const problem = crossCheck(parsed.data);
  if (problem !== undefined) throw new PolicyError(source, problem.path, problem.problem);
  return parsed.data;
}

/** Reads and validates a policy file. The only file access of this package. */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new PolicyError(path, '', 'cannot read the file', { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new PolicyError(path, '', `not valid JSON (${(cause as Error).message})`, { cause });
  }
  return parsePolicy(json, path);
}

import { Hono } from 'hono';
import { findRule, type KnownRule } from '../../domain/tuning/known-rules.js';
import type { AppEnv } from '../env.js';

export interface RuleSource {
  list(): readonly KnownRule[];
}

export function ruleRoutes(deps: { rules: RuleSource }) {
  return new Hono<AppEnv>()
    .get('/rules', (c) => c.json({ rules: deps.rules.list() }))
    .get('/rules/:alertname', (c) => {
      const { group, file } = c.req.query();
      return c.json(findRule(deps.rules.list(), c.req.param('alertname'), { group, file }));
    });
}

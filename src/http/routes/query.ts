import { Hono } from 'hono';
import type { DatasourceLookup } from '../../prometheus/datasources.js';
import { parseQueryRequest } from '../../prometheus/query-request.js';
import { runQuery } from '../../prometheus/run-query.js';
import { encodeQueryResult } from '../../prometheus/sample-value.js';
import type { AppEnv } from '../env.js';
import { jsonBody } from '../params.js';

/**
 * `POST /query {query, datasource?, time? | start, end, step?}`: an ad-hoc
 * instant or range query for notebook cells and the CLI. The upstream query is
 * canceled when the client goes away.
 */
export function queryRoutes(deps: { datasources: DatasourceLookup }) {
  return new Hono<AppEnv>().post('/query', async (c) => {
    const request = parseQueryRequest(await jsonBody(c));
    return c.json(encodeQueryResult(await runQuery(deps.datasources, request, c.req.raw.signal)));
  });
}

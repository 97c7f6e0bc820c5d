/**
 * Alertbook's loopback door for script cells: `POST /query` with a per-run capability token, run
 * through the service's own datasources (their credentials never enter the sandbox; every query is
 * counted in /metrics and capped like any other). It answers nothing else, and a token dies with its run.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { DomainError } from '../domain/errors.js';
import type { AppEnv } from '../http/env.js';
import { createErrorHandler, errorResponse } from '../http/errors.js';
import { jsonBody } from '../http/params.js';
import type { DatasourceLookup } from '../prometheus/datasources.js';
import { parseQueryRequest } from '../prometheus/query-request.js';
import { runQuery } from '../prometheus/run-query.js';
import { encodeQueryResult } from '../prometheus/sample-value.js';

export interface GatewayGrant {
  token: string;
  /** Ends the grant: later requests with its token are refused, its queries in flight canceled. */
  revoke(): void;
}

export class QueryGateway {
  private readonly grants = new Map<string, AbortController>();
  private server: ServerType | null = null;
  private address: AddressInfo | null = null;

  constructor(private readonly datasources: DatasourceLookup) {}

  /** Listens on an ephemeral loopback port; idempotent. */
  async start(): Promise<void> {
    if (this.server) return;
    const app = this.routes();
    await new Promise<void>((resolve, reject) => {
      const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
        this.address = info;
        resolve();
      });
      server.once('error', reject);
      this.server = server;
    });
  }

  /** `127.0.0.1:port`, as Deno's --allow-net takes it. */
  get hostPort(): string {
    if (!this.address) throw new Error('the query gateway is not started');
    return `127.0.0.1:${this.address.port}`;
  }

  get url(): string {
    return `http://${this.hostPort}`;
  }

  /** Tokens alive now (one per run in progress). */
  get activeGrants(): number {
    return this.grants.size;
  }

  grant(): GatewayGrant {
    const token = randomBytes(32).toString('base64url');
    const controller = new AbortController();
    this.grants.set(token, controller);
    return {
      token,
      revoke: () => {
        this.grants.delete(token);
        controller.abort();
      },
    };
  }

  async close(): Promise<void> {
    for (const controller of this.grants.values()) controller.abort();
    this.grants.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private routes() {
    const app = new Hono<AppEnv>();
    app.use(requestId());
    app.onError(
      createErrorHandler(
        () => false,
        () => {},
      ),
    );
    app.notFound((c) => errorResponse(c, 'not_found', 'the query gateway answers POST /query only'));
    app.post('/query', async (c) => {
      const header = c.req.header('authorization') ?? '';
      const grant = header.startsWith('Bearer ') ? this.grants.get(header.slice('Bearer '.length)) : undefined;
      if (!grant) throw new DomainError('unauthorized', 'no valid run token: a token is good for its own run only');
      const request = parseQueryRequest(await jsonBody(c));
      const signal = AbortSignal.any([grant.signal, c.req.raw.signal]);
      return c.json(encodeQueryResult(await runQuery(this.datasources, request, signal)));
    });
    return app;
  }
}

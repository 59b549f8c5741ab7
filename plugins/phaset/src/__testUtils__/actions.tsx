/*
 * Rendering for the action components (Phaset page, connect, webhooks): the
 * real client against msw, a permission API that allows or denies, and an
 * in-memory catalog.
 */
import type { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { PhasetClient, phasetApiRef, PhasetToken } from '../api';

export const API_BASE = 'http://localhost:7007/api/phaset';

export function renderAction(
  element: ReactElement,
  options: {
    entity?: Entity;
    catalog?: Entity[];
    /** Permissions the user is refused, by name; every other is allowed. */
    denied?: string[];
    url?: string;
  } = {},
) {
  const client = new PhasetClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch(),
  });
  const permission = mockApis.permission({
    authorize: request =>
      options.denied?.includes(request.permission.name)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  });
  const content = options.entity ? (
    <EntityProvider entity={options.entity}>{element}</EntityProvider>
  ) : (
    element
  );
  return renderInTestApp(
    // usePermission caches answers in SWR: a fresh cache per test.
    <SWRConfig value={{ provider: () => new Map() }}>{content}</SWRConfig>,
    {
      apis: [
        [phasetApiRef, client],
        [permissionApiRef, permission],
        [catalogApiRef, catalogApiMock({ entities: options.catalog ?? [] })],
      ],
      initialRouteEntries: options.url ? [options.url] : undefined,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

export const WEBHOOK_SOURCES = [
  {
    id: 'ci',
    title: "CI (Phaset's JSON events; also accepts every tool, unsigned)",
    signed: false,
    setup: {
      where: "Phaset's CI action or any HTTP client",
      contentType: 'application/json',
      events: ['change', 'deployment'],
    },
  },
  {
    id: 'github',
    title: 'GitHub',
    signed: true,
    setup: {
      where: 'Repository → Settings → Webhooks → Add webhook',
      contentType: 'application/json',
      events: ['Pushes', 'Deployment statuses'],
      secret: 'Secret (GitHub signs each delivery: X-Hub-Signature-256)',
    },
  },
  {
    id: 'devlake',
    title: 'Apache DevLake',
    signed: false,
    setup: {
      where: 'DevLake → Data Integrations → Webhooks',
      contentType: 'application/json',
      events: ['deployments', 'issues', 'issue close'],
    },
  },
];

export function token(overrides: Partial<PhasetToken> = {}): PhasetToken {
  return {
    id: 'tok-1',
    recordId: 'Orders0001',
    name: 'GitHub webhook',
    origin: 'api',
    source: 'github',
    signed: true,
    createdAt: '2026-03-01T10:00:00.000Z',
    lastDeliveryAt: '2026-03-02T10:00:00.000Z',
    deliveriesAccepted: 12,
    deliveriesRejected: 1,
    ...overrides,
  };
}

/** A backend error body as Backstage's error handler writes it. */
export function errorBody(name: string, message: string, statusCode: number) {
  return { error: { name, message }, response: { statusCode } };
}

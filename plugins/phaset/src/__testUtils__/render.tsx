import type { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { setupServer } from 'msw/node';
import type { ReactElement } from 'react';
import { PhasetClient, phasetApiRef } from '../api';

export const BASE = 'http://localhost:7007/api/phaset';

/** The real client against msw, so URLs and query strings are part of the test. */
export const server = setupServer();

export function renderForEntity(
  element: ReactElement,
  options: { entity: Entity; url?: string },
) {
  const client = new PhasetClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch(),
  });
  return renderInTestApp(
    <EntityProvider entity={options.entity}>{element}</EntityProvider>,
    {
      apis: [[phasetApiRef, client]],
      initialRouteEntries: options.url ? [options.url] : undefined,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

import { spec } from '../schema/openapi';
import { createRouter, RouterOptions } from './router';

/** `METHOD /path/{param}` of every route the router serves. */
function servedRoutes(router: any): string[] {
  return router.stack
    .filter((layer: any) => layer.route)
    .flatMap((layer: any) =>
      Object.keys(layer.route.methods).map(
        method =>
          `${method.toUpperCase()} ${layer.route.path.replace(
            /:(\w+)/g,
            '{$1}',
          )}`,
      ),
    );
}

describe('the router and the OpenAPI spec', () => {
  it('serve exactly the same operations', async () => {
    // Registering routes calls no service.
    const options = {} as RouterOptions;
    const served = servedRoutes(await createRouter(options)).filter(
      // Served by createOpenApiRouter itself.
      route => route !== 'GET /openapi.json',
    );
    const documented = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.keys(item).map(method => `${method.toUpperCase()} ${path}`),
    );
    expect(new Set(served).size).toBe(served.length);
    expect([...served].sort()).toEqual([...documented].sort());
  });
});

import express from 'express';

/**
 * Phaset's CI action appends `/integration/...` to its `endpoint`, while its
 * README says the endpoint "typically ends in /integration". Users who follow
 * that send `.../integration/integration/...`; instead of a bare 404 they get
 * a JSON answer that says which endpoint to set. The path (with its token) is
 * not echoed.
 */
export const DOUBLED_INTEGRATION_PATH = '/integration/integration';

export const DOUBLED_INTEGRATION_MESSAGE =
  "This URL contains /integration twice. Set the CI action's endpoint to the " +
  "plugin's base URL, ending in /api/phaset (for example " +
  'https://backstage.example.com/api/phaset): the action appends ' +
  '/integration/... itself.';

export function createIntegrationEndpointHint(): express.Router {
  const router = express.Router();
  router.use(DOUBLED_INTEGRATION_PATH, (_req, res) => {
    res.status(404).json({
      error: { name: 'NotFoundError', message: DOUBLED_INTEGRATION_MESSAGE },
      response: { statusCode: 404 },
    });
  });
  return router;
}

import {
  phasetRecordReadPermission,
  phasetReviewCreatePermission,
} from '@internal/backstage-plugin-phaset-common';
import {
  HealthService,
  parseReviewAnswers,
} from '../../services/HealthService';
import { parsePage } from './parse';
import { Authorize, PhasetRouter } from './types';

/** The Review template, a Record's Reviews and its Health Score. */
export function registerHealthRoutes(
  router: PhasetRouter,
  deps: { authorize: Authorize; health: HealthService },
) {
  const { authorize, health } = deps;

  router.get('/reviews/template', async (req, res) => {
    // Anyone who may read some Record may see what a Review asks.
    await authorize.condition(req, phasetRecordReadPermission);
    res.json(health.template());
  });

  router.get('/records/:id/reviews', async (req, res) => {
    await authorize.record(req, phasetRecordReadPermission, req.params.id);
    res.json(await health.listReviews(req.params.id, parsePage(req.query)));
  });

  router.get('/records/:id/reviews/latest', async (req, res) => {
    await authorize.record(req, phasetRecordReadPermission, req.params.id);
    res.json(await health.latestReview(req.params.id));
  });

  router.post('/records/:id/reviews', async (req, res) => {
    await authorize.record(req, phasetReviewCreatePermission, req.params.id);
    const answers = parseReviewAnswers(req.body, health.template().questions);
    const review = await health.createReview(
      req.params.id,
      await authorize.principal(req),
      answers,
    );
    res.status(201).json(review);
  });

  router.get('/records/:id/health', async (req, res) => {
    await authorize.record(req, phasetRecordReadPermission, req.params.id);
    res.json(await health.forRecord(req.params.id));
  });
}

import { standardLintResultSchema } from '@internal/backstage-plugin-phaset-common';
import { BaselineService } from '../../services/BaselineService';
import { RateLimiter } from '../../services/RateLimiter';
import { RecordService } from '../../services/RecordService';
import { StandardsService } from '../../services/StandardsService';
import { parseOrThrow } from '../../services/ValidationError';
import { PhasetRouter, rawText } from './types';

/**
 * Phaset's Integration API (Records, Standards, Baselines): authenticated by
 * the Record's token in the path only, counted against the Record's rate limit.
 */
export function registerIntegrationRoutes(
  router: PhasetRouter,
  deps: {
    records: RecordService;
    standards: StandardsService;
    baselines: BaselineService;
    rateLimiter: RateLimiter;
  },
) {
  const { records, standards, baselines, rateLimiter } = deps;
  const open = async (params: {
    ORG_ID: string;
    RECORD_ID: string;
    WEBHOOK_TOKEN: string;
  }) => {
    const { record } = await records.authenticateIntegration(
      params.ORG_ID,
      params.RECORD_ID,
      params.WEBHOOK_TOKEN,
    );
    // Only the Record's own callers spend its budget.
    rateLimiter.take(params.RECORD_ID);
    return record;
  };

  router.post(
    '/integration/record/:ORG_ID/:RECORD_ID/:WEBHOOK_TOKEN',
    async (req, res) => {
      const record = await open(req.params);
      await records.applyManifest(record, req.body, rawText(req));
      res.json({ recordId: record.id, status: 'updated' });
    },
  );

  router.post(
    '/integration/standards/:ORG_ID/:RECORD_ID/:WEBHOOK_TOKEN',
    async (req, res) => {
      const record = await open(req.params);
      const result = parseOrThrow(standardLintResultSchema, req.body);
      const { baselineId } = await standards.submit(
        record,
        result,
        rawText(req),
      );
      res.json({
        recordId: record.id,
        baselineId,
        passes: result.passes,
        warnings: result.warnings,
        failures: result.failures,
      });
    },
  );

  router.get(
    '/integration/baselines/:ORG_ID/:BASELINE_ID/:RECORD_ID/:WEBHOOK_TOKEN',
    async (req, res) => {
      const record = await open(req.params);
      res.json(baselines.forIntegration(record, req.params.BASELINE_ID).config);
    },
  );
}

import { phasetRecordReadPermission } from '@internal/backstage-plugin-phaset-common';
import { BaselineService } from '../../services/BaselineService';
import { RecordService } from '../../services/RecordService';
import { Authorize, PhasetRouter } from './types';

/** The configured Baselines, and the one that applies to a Record. */
export function registerBaselineRoutes(
  router: PhasetRouter,
  deps: {
    authorize: Authorize;
    baselines: BaselineService;
    records: RecordService;
  },
) {
  const { authorize, baselines, records } = deps;

  router.get('/baselines', async (req, res) => {
    // Shared configuration: open to whoever may read some Record.
    await authorize.condition(req, phasetRecordReadPermission);
    res.json({ items: baselines.list() });
  });

  router.get('/records/:id/baseline', async (req, res) => {
    await authorize.record(req, phasetRecordReadPermission, req.params.id);
    res.json(baselines.forRecord(await records.get(req.params.id)));
  });
}

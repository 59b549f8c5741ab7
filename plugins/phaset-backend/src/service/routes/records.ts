import { InputError } from '@backstage/errors';
import {
  isValidRecordId,
  phasetRecordCreatePermission,
  phasetRecordDeletePermission,
  phasetRecordReadPermission,
  phasetTokenManagePermission,
} from '@internal/backstage-plugin-phaset-common';
import { RecordService } from '../../services/RecordService';
import { StandardsService } from '../../services/StandardsService';
import { TokenService } from '../../services/TokenService';
import { bodyObject, optionalString, parsePage, queryString } from './parse';
import { Authorize, PhasetRouter } from './types';

/** Records, their Standards results and their webhook tokens. */
export function registerRecordRoutes(
  router: PhasetRouter,
  deps: {
    authorize: Authorize;
    records: RecordService;
    standards: StandardsService;
    tokens: TokenService;
  },
) {
  const { authorize, records, standards, tokens } = deps;

  router.post('/records', async (req, res) => {
    await authorize.basic(req, phasetRecordCreatePermission);
    const body = bodyObject(req.body);
    if (typeof body.organization !== 'string') {
      throw new InputError(
        'organization: must be the id of a configured organization',
      );
    }
    const id = body.id;
    if (id !== undefined && !isValidRecordId(id)) {
      throw new InputError('id: must be 10 characters [A-Za-z0-9]');
    }
    const entityRef = optionalString(
      body,
      'entityRef',
      'must be a string such as component:default/my-service',
    );
    res.status(201).json(
      await records.create({
        organizationId: body.organization,
        id,
        entityRef,
      }),
    );
  });

  router.get('/records', async (req, res) => {
    const organizationId = queryString(req.query, 'organization');
    // Records the caller may not read leave a page short; the cursor stays.
    let nextCursor: string | undefined;
    const items = await authorize.filter(
      req,
      phasetRecordReadPermission,
      async () => {
        const page = await records.list(
          { organizationId },
          parsePage(req.query),
        );
        nextCursor = page.nextCursor;
        return page.items;
      },
    );
    res.json({ items, ...(nextCursor && { nextCursor }) });
  });

  router.get('/records/:id', async (req, res) => {
    await authorize.record(req, phasetRecordReadPermission, req.params.id);
    res.json(await records.get(req.params.id));
  });

  router.delete('/records/:id', async (req, res) => {
    await authorize.record(req, phasetRecordDeletePermission, req.params.id);
    await records.delete(req.params.id);
    res.status(204).end();
  });

  router.get('/records/:id/standards', async (req, res) => {
    await authorize.record(req, phasetRecordReadPermission, req.params.id);
    await records.get(req.params.id);
    res.json(await standards.read(req.params.id));
  });

  router.get('/records/:id/tokens', async (req, res) => {
    await authorize.record(req, phasetTokenManagePermission, req.params.id);
    await records.get(req.params.id);
    res.json(await tokens.list(req.params.id, parsePage(req.query)));
  });

  router.post('/records/:id/tokens', async (req, res) => {
    await authorize.record(req, phasetTokenManagePermission, req.params.id);
    await records.get(req.params.id);
    res
      .status(201)
      .json(await tokens.issue(req.params.id, bodyObject(req.body).name));
  });

  router.patch('/records/:id/tokens/:tokenId', async (req, res) => {
    await authorize.record(req, phasetTokenManagePermission, req.params.id);
    const { id, tokenId } = req.params;
    res.json(await tokens.rename(id, tokenId, bodyObject(req.body).name));
  });

  router.delete('/records/:id/tokens/:tokenId', async (req, res) => {
    await authorize.record(req, phasetTokenManagePermission, req.params.id);
    await tokens.revoke(req.params.id, req.params.tokenId);
    res.status(204).end();
  });
}

import path from 'path';
import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  KindValidator,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { ScmIntegrations } from '@backstage/integration';
import { PhasetManifestProcessor } from './catalog/PhasetManifestProcessor';
import { PhasetRecordIndex } from './records/PhasetRecordIndex';
import { PhasetRecordReader } from './records/recordReader';
import {
  FakeUrlReader,
  RunCache,
  collector,
  emptyConfig,
  yamlParser,
} from './__testUtils__/testing';

/*
 * The example manifests registered in app-config.yaml, read the way the app
 * reads them. The backend runs from packages/backend, which is as deep as
 * this package, so the derived Record ids are the ones the app sees.
 */
const EXAMPLES = path.resolve(__dirname, '../../../examples/phaset');

const policies = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
]);
const kindValidators: Record<string, KindValidator> = {
  Component: componentEntityV1alpha1Validator,
  API: apiEntityV1alpha1Validator,
  System: systemEntityV1alpha1Validator,
};

describe('examples/phaset', () => {
  it('yields valid entities whose dependencies resolve to each other', async () => {
    const client = { list: async () => [] } as unknown as PhasetRecordReader;
    const processor = new PhasetManifestProcessor({
      reader: new FakeUrlReader(),
      integrations: ScmIntegrations.fromConfig(emptyConfig()),
      index: new PhasetRecordIndex({
        client,
        logger: mockServices.logger.mock(),
      }),
      logger: mockServices.logger.mock(),
      organizationId: 'demoorg',
    });
    const out = collector();
    await processor.readLocation(
      {
        type: 'file',
        target: path.join(EXAMPLES, '*', 'phaset.manifest.json'),
      },
      false,
      out.emit,
      yamlParser,
      new RunCache(),
    );
    expect(out.errors()).toEqual([]);

    const entities = out.entities();
    const byTitle = new Map(entities.map(e => [e.metadata.title, e]));
    expect(
      entities
        .filter(e => e.kind === 'Component')
        .map(e => e.spec?.type)
        .sort(),
    ).toEqual(['api', 'cots', 'other', 'service']);
    for (const entity of entities) {
      await expect(policies.enforce(entity)).resolves.toBeDefined();
      await expect(kindValidators[entity.kind].check(entity)).resolves.toBe(
        true,
      );
    }

    const refOf = (title: string) =>
      stringifyEntityRef(byTitle.get(title)!).toLowerCase();
    expect(byTitle.get('Orders service')!.spec?.dependsOn).toEqual([
      refOf('Payments API'),
      refOf('Customer CRM (SaaS)'),
    ]);
    // The OpenAPI document next to the manifest is inlined.
    expect(byTitle.get('Payments REST API')!.spec?.definition).toMatch(
      /^openapi: 3\.0\.3/,
    );
    // At the limits: 20 APIs with distinct names, dependencies kept in full.
    const limits = entities.find(e => e.spec?.type === 'other')!;
    expect(new Set(limits.spec?.providesApis as string[]).size).toBe(20);
    expect(
      JSON.parse(limits.metadata.annotations!['phaset.dev/slo']),
    ).toHaveLength(20);
  });
});

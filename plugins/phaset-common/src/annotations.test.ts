import * as annotations from './annotations';

// Backstage's rule for annotation keys: `<dns prefix>/<name>`, where the name
// is at most 63 characters of [a-zA-Z0-9-_.] starting and ending alphanumeric.
const ANNOTATION_KEY =
  /^phaset\.dev\/[a-zA-Z0-9](?:[-_.a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;

describe('annotations', () => {
  const keys = Object.entries(annotations).filter(([name]) =>
    name.startsWith('ANNOTATION_'),
  );

  it.each(keys)('%s is a valid annotation key', (name, key) => {
    const full =
      name === 'ANNOTATION_PHASET_METADATA_PREFIX' ? `${key}createdBy` : key;
    expect(full).toMatch(ANNOTATION_KEY);
  });
});

import { createHash } from 'crypto';
import fs from 'fs';
import path from 'path';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-node';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = BigInt(BASE62.length);

/**
 * A Phaset-style Record id (10 base62 characters) derived from `seed`: the
 * first 10 base62 digits of its SHA-256. Stable for the same seed, so the
 * Record's webhook URL does not change between processing runs or restarts.
 *
 * @public
 */
export function deriveRecordId(seed: string): string {
  let n = BigInt(`0x${createHash('sha256').update(seed).digest('hex')}`);
  let id = '';
  for (let i = 0; i < 10; i++) {
    id += BASE62[Number(n % BASE)];
    n /= BASE;
  }
  return id;
}

/** The nearest ancestor holding `.git`, else the working directory. */
function repositoryRoot(file: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      return process.cwd();
    }
  }
}

/**
 * The seed of a manifest location: URLs without query, fragment or trailing
 * slash and with a lowercase host; file paths relative to their repository
 * root (absolute paths differ between checkouts, and the working directory
 * between `yarn start` and a production start).
 *
 * @public
 */
export function locationSeed(location: LocationSpec): string {
  if (location.type === 'file') {
    const file = path.resolve(location.target);
    const relative = path.relative(repositoryRoot(file), file);
    return `file:${relative.split(path.sep).join('/')}`;
  }
  try {
    const url = new URL(location.target);
    url.search = '';
    url.hash = '';
    return `${location.type}:${url.toString().replace(/\/+$/, '')}`;
  } catch {
    return `${location.type}:${location.target}`;
  }
}

/** Record id of a manifest registered as its own location. @public */
export function recordIdForLocation(location: LocationSpec): string {
  return deriveRecordId(locationSeed(location));
}

/** Record id of a manifest merged into an existing entity. @public */
export function recordIdForEntity(entity: Entity): string {
  return deriveRecordId(`entity:${stringifyEntityRef(entity).toLowerCase()}`);
}

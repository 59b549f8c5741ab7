/*
 * Published by the phaset backend on Backstage's events service whenever a
 * Record's manifest is stored, a Record linked to an entity is created
 * (`updated`) or a Record is deleted, so that the catalog
 * module can apply a delta instead of waiting for its next full sync.
 */

/** Events service topic of {@link PhasetRecordEvent}. @public */
export const PHASET_RECORD_EVENT_TOPIC = 'phaset.record';

/** @public */
export type PhasetRecordEvent = {
  recordId: string;
  action: 'updated' | 'deleted';
};

/** Narrows an event payload received from the events service. @public */
export function isPhasetRecordEvent(
  value: unknown,
): value is PhasetRecordEvent {
  const event = value as Partial<PhasetRecordEvent> | null;
  return (
    typeof event?.recordId === 'string' &&
    (event.action === 'updated' || event.action === 'deleted')
  );
}

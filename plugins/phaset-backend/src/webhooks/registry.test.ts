import { InputError } from '@backstage/errors';
import fs from 'fs';
import path from 'path';
import { detectAndAdapt } from './__testUtils__/cases';
import { NOW } from './__testUtils__/fixtures';
import {
  describeWebhookSources,
  WEBHOOK_SOURCES,
  webhookSourceIds,
} from './registry';

describe('the webhook source registry', () => {
  it('has one row per folder under sources/, each named by its id', () => {
    const folders = fs
      .readdirSync(path.join(__dirname, 'sources'), { withFileTypes: true })
      .filter(entry => entry.isDirectory())
      .map(entry => entry.name)
      .sort();
    expect(WEBHOOK_SOURCES.map(s => s.id).sort()).toEqual(folders);
  });

  it('detects native tools in this order, then Phaset JSON events', () => {
    expect(WEBHOOK_SOURCES.filter(s => s.detect).map(s => s.id)).toEqual([
      'github',
      'gitlab',
      'bitbucket',
      'linear',
      'azure-devops',
      'jira',
    ]);
  });

  it('lets webhooks be generated for ci and every tool', () => {
    expect(webhookSourceIds()).toEqual([
      'ci',
      ...WEBHOOK_SOURCES.map(s => s.id),
    ]);
  });

  it('keeps only delivery headers that name no secret', () => {
    for (const source of WEBHOOK_SOURCES) {
      for (const header of source.deliveryHeaders) {
        expect(header).toBe(header.toLowerCase());
        expect(header).not.toMatch(/token|signature|authorization/);
      }
    }
  });

  it('describes each source for people: title, signing, setup steps', () => {
    const described = describeWebhookSources();
    expect(described.map(d => d.id)).toEqual(webhookSourceIds());
    expect(described.find(d => d.id === 'ci')).toMatchObject({
      signed: false,
      setup: { events: expect.arrayContaining(['change', 'deployment']) },
    });
    expect(described.find(d => d.id === 'github')).toMatchObject({
      title: 'GitHub',
      signed: true,
      setup: {
        contentType: 'application/json',
        events: expect.arrayContaining(['Pushes', 'Deployment statuses']),
        secret: expect.stringContaining('X-Hub-Signature-256'),
      },
    });
    expect(described.find(d => d.id === 'devlake')).toMatchObject({
      signed: false,
    });
    for (const { title, setup } of described) {
      expect(title).not.toBe('');
      expect(setup.where).not.toBe('');
      expect(setup.events.length).toBeGreaterThan(0);
    }
  });
});

describe('detectAndAdapt', () => {
  it('falls back to Phaset JSON events, with the identity that deduplicates them', () => {
    expect(
      detectAndAdapt(
        {},
        {
          event: 'change',
          commitSha: 'cf1d3df5ea4373e69d8adc3808e9f8ce23b61360',
          timestamp: '1732802071',
        },
      ),
    ).toEqual({
      source: 'phaset',
      events: [
        {
          kind: 'change',
          source: 'phaset',
          commitSha: 'cf1d3df5ea4373e69d8adc3808e9f8ce23b61360',
          timestamp: new Date(1732802071000),
          // A change is identified by its commit: re-sent, it is stored once.
          externalId: 'phaset:change:cf1d3df5ea4373e69d8adc3808e9f8ce23b61360',
        },
      ],
    });
  });

  it('fills missing Phaset timestamps from now', () => {
    expect(
      detectAndAdapt({}, { event: 'comment' }, { now: () => NOW }),
    ).toEqual({
      source: 'phaset',
      events: [{ kind: 'comment', source: 'phaset', timestamp: NOW }],
    });
  });

  it('rejects bodies that are neither', () => {
    expect(() => detectAndAdapt({}, { hello: 'world' })).toThrow(InputError);
    expect(() =>
      detectAndAdapt({}, { event: 'change', commitSha: 'abc', timestamp: '1' }),
    ).toThrow(/timestamp: Expected a Unix timestamp/);
  });

  it('uses the default incident label when none is configured', () => {
    expect(
      detectAndAdapt(
        { 'x-github-event': 'issues' },
        {
          action: 'opened',
          issue: {
            id: 7,
            number: 3,
            created_at: '2024-01-01T00:00:00Z',
            labels: [{ name: 'Incident' }],
          },
        },
        { incidentLabel: '' },
      ),
    ).toEqual({
      source: 'github',
      events: [
        {
          kind: 'incident-opened',
          source: 'github',
          id: '7',
          externalId: 'github:issue:7',
          createdAt: new Date('2024-01-01T00:00:00Z'),
          timestamp: new Date('2024-01-01T00:00:00Z'),
        },
      ],
    });
  });
});

import { formatDuration } from './format';

describe('formatDuration', () => {
  it('reads in the unit a person would use', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(20 * 60)).toBe('20 min');
    expect(formatDuration(3 * 3600 + 20 * 60)).toBe('3 h 20 min');
    expect(formatDuration(2.4 * 86_400)).toBe('2.4 days');
  });

  it('carries 59.6 minutes to the next hour instead of "3 h 60 min"', () => {
    expect(formatDuration(3 * 3600 + 59.6 * 60)).toBe('4 h');
    expect(formatDuration(3 * 3600 + 59.4 * 60)).toBe('3 h 59 min');
  });
});

import { standards } from '../../__testUtils__/fixtures';
import { historyBars, passRate } from './standards';

describe('historyBars', () => {
  it('keeps the API order, oldest result on the left', () => {
    const bars = historyBars(standards.history);
    expect(bars.map(bar => bar.Failures)).toEqual([2, 1]);
    expect(bars[0]).toEqual({
      label: expect.stringMatching(/^20 Feb \d\d:\d\d$/),
      Passes: 0,
      Warnings: 1,
      Failures: 2,
    });
  });
});

describe('passRate', () => {
  it('is passes over checks run, and undefined when nothing ran', () => {
    expect(passRate({ passes: 3, warnings: 1, failures: 0 } as any)).toBe(0.75);
    expect(
      passRate({ passes: 0, warnings: 0, failures: 0 } as any),
    ).toBeUndefined();
  });
});

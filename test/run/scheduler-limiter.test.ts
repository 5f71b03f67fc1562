import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../src/run/limiter.js';
import { deferred, tick } from './scheduler-fakes.js';

describe('createLimiter', () => {
  it('starts waiting tasks in FIFO order as slots free up, never above the limit', async () => {
    const limiter = createLimiter(2);
    const gates = [0, 1, 2, 3].map(() => deferred());
    const started: number[] = [];
    const all = gates.map((g, i) =>
      limiter.run(async () => {
        started.push(i);
        await g.promise;
        return i * 10;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect([limiter.active, limiter.pending]).toEqual([2, 2]);
    gates[1]!.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    expect([limiter.active, limiter.pending]).toEqual([2, 1]);
    gates[0]!.resolve();
    gates[2]!.resolve();
    gates[3]!.resolve();
    expect(await Promise.all(all)).toEqual([0, 10, 20, 30]);
    expect([limiter.active, limiter.pending]).toEqual([0, 0]);
  });

  it('frees the slot when a task throws', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await limiter.run(async () => 'next')).toBe('next');
    expect(limiter.active).toBe(0);
  });

  it('treats a nonsense limit as 1', async () => {
    const limiter = createLimiter(0);
    const gate = deferred();
    const first = limiter.run(() => gate.promise);
    void limiter.run(async () => undefined);
    await tick();
    expect([limiter.active, limiter.pending]).toEqual([1, 1]);
    gate.resolve();
    await first;
  });
});

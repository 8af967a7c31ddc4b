/**
 * The `argon2` reference: how many argon2id hashes per second this machine computes with the auth
 * service's parameters (ARGON2_MEMORY_KIB, ARGON2_TIME_COST, ARGON2_PARALLELISM, defaults as in
 * apps/auth/src/config/auth.env.ts), through the same library and the same libuv thread pool
 * (UV_THREADPOOL_SIZE, 4 by default) that bounds the service. A login costs one verification,
 * which is one hash: `login` should reach ~0.85 × this rate. Run by the bench with DURATION_S;
 * prints its result and waits for SIGTERM.
 */
import { Algorithm, hash } from '@node-rs/argon2';
import { exitOnSignals, reportToParent } from '../helper-protocol';

const memoryCost = Number(process.env.ARGON2_MEMORY_KIB ?? 19_456);
const timeCost = Number(process.env.ARGON2_TIME_COST ?? 2);
const parallelism = Number(process.env.ARGON2_PARALLELISM ?? 1);
const concurrency = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
const durationMs = Number(process.env.DURATION_S ?? 10) * 1000;
const warmupMs = Number(process.env.WARMUP_S ?? 1) * 1000;

async function worker(until: number, latencies: number[]): Promise<void> {
  while (Date.now() < until) {
    const started = performance.now();
    await hash('correct horse battery staple', { algorithm: Algorithm.Argon2id, memoryCost, timeCost, parallelism });
    latencies.push(performance.now() - started);
  }
}

async function main(): Promise<void> {
  const warmup: number[] = [];
  await Promise.all(Array.from({ length: concurrency }, () => worker(Date.now() + warmupMs, warmup)));
  const latencies: number[] = [];
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, () => worker(started + durationMs, latencies)));
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  reportToParent({
    hashes: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: latencies[Math.floor(latencies.length / 2)] ?? 0,
    params: { memoryCost, timeCost, parallelism, concurrency },
  });
}

// After reporting it waits to be stopped: the bench reads this process's CPU time before it goes.
const keepAlive = setInterval(() => undefined, 60_000);
exitOnSignals(() => Promise.resolve(clearInterval(keepAlive)));
void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

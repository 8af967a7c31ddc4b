import { run, stream } from './compose-cli';
import { APP_SERVICES } from './containers';

/**
 * `docker build --build-arg APP=…` for every app with the Dockerfile as committed, through
 * BuildKit (what `docker build` and Compose v2 use; Compose 1.29 builds the same file with the
 * legacy builder in the next step), then each image's size and what its own layers add.
 *
 * Target: at most 60 MB on top of the Node base image per app. Measured: 24–25 MB, the traced
 * runtime (tools/image/trace-runtime.ts); with every app's 210 MB of production dependencies the
 * images were ~460 MB on the stand-in base. For comparison, node:24-slim alone is ~230 MB, and a
 * Nest service image that ships its whole production node_modules typically lands at 350–500 MB.
 */
const APP_LAYERS_MAX_MB = 60;

export async function buildImages(rootDir: string): Promise<string[]> {
  // Debian's docker 20.10 client builds with BuildKit only when asked (the 28.x client needs buildx).
  process.env.DOCKER_BUILDKIT = '1';
  const problems: string[] = [];
  const rows: string[] = [];
  for (const app of APP_SERVICES) {
    const tag = `bazaar-${app}:${process.env.BAZAAR_TAG ?? 'dev'}`;
    await stream('docker', ['build', '--build-arg', `APP=${app}`, '-t', tag, rootDir], `  [${app}]`);
    const total = Number((await run('docker', ['image', 'inspect', '-f', '{{.Size}}', tag])).stdout.trim()) / 1e6;
    const history = await run('docker', ['history', '--no-trunc', '--format', '{{.Size}}\t{{.CreatedBy}}', tag]);
    // Layers from the runtime stage's own instructions: everything after the base image's.
    const own = history.stdout
      .split('\n')
      .filter((line) => line.includes('COPY /out/app'))
      .map((line) => parseSize(line.split('\t')[0]))
      .reduce((sum, size) => sum + size, 0);
    rows.push(
      `  ${tag.padEnd(20)} ${total.toFixed(0).padStart(5)} MB in all, ${own.toFixed(1).padStart(5)} MB of its own`,
    );
    if (own > APP_LAYERS_MAX_MB || own === 0) {
      problems.push(`${tag}: ${own.toFixed(1)} MB of app layers (target ≤ ${APP_LAYERS_MAX_MB} MB)`);
    }
  }
  process.stdout.write(`${rows.join('\n')}\n`);
  return problems;
}

function parseSize(text: string): number {
  const match = /^([\d.]+)\s*([kMG]?)B$/.exec(text.trim());
  if (!match) {
    return 0;
  }
  const scale = { '': 1e-6, k: 1e-3, M: 1, G: 1e3 }[match[2] as '' | 'k' | 'M' | 'G'];
  return Number(match[1]) * scale;
}

/**
 * The runtime of one app, and nothing else: every file its compiled entry can load, found by
 * following its requires (@vercel/nft, the tracer Next.js and Vercel build their deployments with),
 * copied into OUT_DIR as the image lays it out:
 *
 *   OUT_DIR/node_modules/…   only the packages, and the files of them, the app loads
 *   OUT_DIR/dist/…           the app's compiled output (dist/apps/APP/ of the build)
 *
 * One package.json serves all four apps, so `npm prune --omit=dev` left every app's production
 * dependencies in every image (210 MB: TypeORM in the gateway, Swagger UI in orders, TypeScript
 * for Swagger's build-time plugin in all of them). Run by the Dockerfile's build stage:
 *
 *   tsx tools/image/trace-runtime.ts APP OUT_DIR
 */
import { nodeFileTrace } from '@vercel/nft';
import { cpSync, existsSync, mkdirSync, readlinkSync, lstatSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * Packages that read their own files at run time by path, which no require shows: Swagger UI's
 * assets, served by the gateway at /docs. Copied whole when the app loads them at all.
 */
const READ_BY_PATH = ['node_modules/swagger-ui-dist'];

const APPS = ['gateway', 'auth', 'catalog', 'orders'];

function place(file: string, app: string): string {
  const appDist = `dist/apps/${app}/`;
  return file.startsWith(appDist) ? join('dist', file.slice(appDist.length)) : file;
}

function copyEntry(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  if (lstatSync(from).isSymbolicLink()) {
    if (!existsSync(to)) {
      symlinkSync(readlinkSync(from), to);
    }
    return;
  }
  cpSync(from, to, { recursive: true });
}

async function main(): Promise<void> {
  const [app, outDir] = process.argv.slice(2);
  if (!APPS.includes(app) || !outDir) {
    throw new Error(`usage: trace-runtime.ts ${APPS.join('|')} OUT_DIR`);
  }
  const root = process.cwd();
  const entry = `dist/apps/${app}/apps/${app}/src/main.js`;
  // module-sync: Node ≥ 22.12 (and 20.19) resolves a package's `module-sync` export for require()
  // before its `require` one; trace what the runtime will load.
  const { fileList, warnings } = await nodeFileTrace([entry], {
    base: root,
    processCwd: root,
    conditions: ['node', 'module-sync'],
  });
  const files = [...fileList].filter(
    (file) => file.startsWith('node_modules/') || file.startsWith(`dist/apps/${app}/`),
  );
  for (const file of files) {
    copyEntry(join(root, file), join(outDir, place(file, app)));
  }
  const wholePackages = READ_BY_PATH.filter((dir) => files.some((file) => file.startsWith(`${dir}/`)));
  wholePackages.forEach((dir) => copyEntry(join(root, dir), join(outDir, dir)));
  const packages = new Set(files.map((file) => /^node_modules\/((@[^/]+\/)?[^/]+)/.exec(file)?.[1]).filter(Boolean));
  process.stdout.write(
    `${app}: ${files.length} files from ${packages.size} packages traced into ${relative(root, outDir) || outDir}` +
      `${wholePackages.length ? ` (+ ${wholePackages.join(', ')} whole)` : ''}; ${warnings.size} warnings\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

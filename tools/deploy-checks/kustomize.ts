import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { K8sObject } from './k8s-objects';

export const REPO_ROOT = join(__dirname, '..', '..');
export const K8S_DIR = join(REPO_ROOT, 'k8s');

function kubectlBinary(): string {
  return process.env.KUBECTL ?? 'kubectl';
}

/** Rendered text per directory: the checks render each overlay once per test file. */
const rendered = new Map<string, string>();

/**
 * Renders a kustomization the way `kubectl apply -k` would, offline. kubectl embeds kustomize, so
 * what CI checks is exactly what a cluster receives.
 */
export function renderKustomization(dir: string): K8sObject[] {
  let text = rendered.get(dir);
  if (text === undefined) {
    text = runKustomize(dir);
    rendered.set(dir, text);
  }
  return parseManifests(text);
}

function runKustomize(dir: string): string {
  const result = spawnSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    throw new Error(
      `Cannot run "${kubectlBinary()} kustomize" (${result.error.message}): the deploy checks need kubectl ` +
        '(it embeds kustomize) on PATH, or KUBECTL=/path/to/kubectl.',
    );
  }
  if (result.status !== 0) {
    throw new Error(`kubectl kustomize ${dir} failed:\n${result.stderr}`);
  }
  return result.stdout;
}

/**
 * Renders a copy of an overlay whose kustomization.yaml `edit` changed, the way an operator's own
 * overlay would (another namespace, another component). kustomize takes only relative paths, so the
 * copy's `../../` become paths from the temporary directory back to k8s/.
 */
export function renderOverlayVariant(overlay: string, edit: (kustomization: string) => string): K8sObject[] {
  const source = join(K8S_DIR, 'overlays', overlay);
  const dir = mkdtempSync(join(tmpdir(), `bazaar-overlay-${overlay}-`));
  try {
    for (const file of readdirSync(source)) {
      copyFileSync(join(source, file), join(dir, file));
    }
    const kustomization = edit(readFileSync(join(source, 'kustomization.yaml'), 'utf8'));
    writeFileSync(join(dir, 'kustomization.yaml'), kustomization.replaceAll('../../', `${relative(dir, K8S_DIR)}/`));
    return parseManifests(runKustomize(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) {
        throw new Error(`Invalid YAML: ${document.errors.map((error) => error.message).join('; ')}`);
      }
      return document.toJS() as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null);
}

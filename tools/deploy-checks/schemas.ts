import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { K8sObject } from './k8s-objects';
import { REPO_ROOT } from './kustomize';

export interface SchemaReport {
  problems: string[];
  /** "<apiVersion> <kind>" of objects without a built-in schema (custom resources). */
  skipped: string[];
}

/**
 * kustomize wraps long base64 values over several lines; the API server ignores the line breaks
 * (Go's base64 decoder skips them) but the schema's "byte" format does not.
 */
function unwrapSecretData(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || !object.data) {
    return object;
  }
  const data = Object.fromEntries(Object.entries(object.data).map(([key, value]) => [key, value.replace(/\s/g, '')]));
  return { ...object, data };
}

/** Checks objects against the Kubernetes schemas (see validate-schemas.ts for why in a child process). */
export function validateSchemas(objects: K8sObject[]): SchemaReport {
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const result = spawnSync(tsx, [join(__dirname, 'validate-schemas.ts')], {
    input: JSON.stringify(objects.map(unwrapSecretData)),
    encoding: 'utf8',
    cwd: REPO_ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`Schema validation did not run: ${result.error?.message ?? result.stderr}`);
  }
  return JSON.parse(result.stdout) as SchemaReport;
}

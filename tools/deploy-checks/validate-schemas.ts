/**
 * Validates Kubernetes objects against the API's OpenAPI schemas (kubernetes-models): wrong types,
 * enum values and missing required fields. kubernetes-models ships ESM only, which jest's CommonJS
 * runtime can't load, so schemas.ts runs this file in a child process (tsx):
 *   stdin: JSON array of objects; stdout: {"problems": [...], "skipped": ["<apiVersion> <kind>", ...]}
 */
import { readFileSync } from 'node:fs';

interface Validatable {
  validate(): void;
}

type ModelClass = new (data: unknown) => Validatable;

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const specifier = `kubernetes-models/${apiVersion}`;
  try {
    const module = (await import(specifier)) as Record<string, unknown>;
    return module[kind] as ModelClass | undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const objects = JSON.parse(readFileSync(0, 'utf8')) as {
    apiVersion: string;
    kind: string;
    metadata?: { name?: string };
  }[];
  const problems: string[] = [];
  const skipped: string[] = [];
  for (const object of objects) {
    const Model = await modelFor(object.apiVersion, object.kind);
    if (!Model) {
      skipped.push(`${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${object.kind}/${object.metadata?.name ?? '?'}: ${(error as Error).message}`);
    }
  }
  process.stdout.write(JSON.stringify({ problems, skipped }));
}

void main();

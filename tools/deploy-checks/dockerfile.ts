import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './kustomize';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Record<string, string>;
  stages: Stage[];
}

export const DOCKERFILE_PATH = join(REPO_ROOT, 'Dockerfile');

/** Instructions with line continuations joined and comments dropped; enough for our own Dockerfile. */
export function parseDockerfile(text: string): Dockerfile {
  const logicalLines: string[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    // Docker drops comment lines, also inside a continued instruction.
    if (/^\s*#/.test(line)) {
      continue;
    }
    const continued = /\\\s*$/.test(line);
    pending += continued ? line.replace(/\\\s*$/, ' ') : line;
    if (!continued) {
      if (pending.trim() !== '') {
        logicalLines.push(pending.trim());
      }
      pending = '';
    }
  }
  const dockerfile: Dockerfile = { globalArgs: {}, stages: [] };
  for (const line of logicalLines) {
    const match = /^(\w+)\s+([\s\S]*)$/.exec(line);
    if (!match) {
      continue;
    }
    const keyword = match[1].toUpperCase();
    const args = match[2].trim();
    if (keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      dockerfile.stages.push({ from: from?.[1] ?? args, name: from?.[2], instructions: [] });
    } else if (dockerfile.stages.length === 0) {
      if (keyword === 'ARG') {
        const [name, value = ''] = args.split('=');
        dockerfile.globalArgs[name] = value;
      }
    } else {
      dockerfile.stages[dockerfile.stages.length - 1].instructions.push({ keyword, args });
    }
  }
  return dockerfile;
}

export function loadDockerfile(): Dockerfile {
  return parseDockerfile(readFileSync(DOCKERFILE_PATH, 'utf8'));
}

export function finalStage(dockerfile: Dockerfile): Stage {
  return dockerfile.stages[dockerfile.stages.length - 1];
}

/** `ENV A=1 B=${APP}` of a stage, with `${NAME}` references filled in from `args`. */
export function stageEnv(stage: Stage, args: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of stage.instructions.filter((candidate) => candidate.keyword === 'ENV')) {
    for (const pair of instruction.args.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|\S*)/g) ?? []) {
      const [name, ...rest] = pair.split('=');
      const raw = rest.join('=').replace(/^"(.*)"$/, '$1');
      env[name] = raw.replace(
        /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
        (_whole, ref: string) => args[ref] ?? env[ref] ?? '',
      );
    }
  }
  return env;
}

/** The environment the image itself gives a container of `app` (before compose or Kubernetes add theirs). */
export function imageEnv(app: string, dockerfile = loadDockerfile()): Record<string, string> {
  return stageEnv(finalStage(dockerfile), { ...dockerfile.globalArgs, APP: app });
}

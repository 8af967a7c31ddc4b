import { join } from 'node:path';
import {
  heapBudgetMib,
  heapShareMib,
  IMAGE_NODE_OPTIONS,
  REPLICA_MEMORY_LIMIT_MIB,
  replicaNodeFlags,
} from '../launcher/replica-node-flags';
import { APPS, AppName } from './app-config';
import { loadCompose, serviceEnvironment } from './compose';
import { imageEnv } from './dockerfile';
import { Container, findObject, podTemplateOf } from './k8s-objects';
import { K8S_DIR, renderKustomization } from './kustomize';

/**
 * Outside the heap a replica needs code, native buffers and the young generation: ~90-110 MiB
 * measured at scale 1. Auth also holds argon2's 19 MiB per hash in flight, on its 4 hashing
 * threads. A limit whose heap share leaves less than this would let the OOM killer end a replica
 * before V8 collects hard.
 */
const OUTSIDE_HEAP_MIN_MIB: Record<AppName, number> = {
  gateway: 160,
  auth: 110 + 4 * 19,
  catalog: 160,
  orders: 160,
};

/** "384Mi", "512M", "1Gi" in MiB (Kubernetes quantities); "384m", "1g" in MiB (Compose byte values). */
function mebibytes(quantity: string, style: 'kubernetes' | 'compose'): number {
  const match = /^(\d+)([a-zA-Z]*)$/.exec(quantity.trim());
  if (!match) {
    throw new Error(`unreadable memory quantity ${quantity}`);
  }
  const value = Number(match[1]);
  const units: Record<string, number> =
    style === 'kubernetes'
      ? { Mi: 1, Gi: 1024, M: 1e6 / 2 ** 20, G: 1e9 / 2 ** 20 }
      : { m: 1, mb: 1, g: 1024, gb: 1024 };
  const unit = style === 'kubernetes' ? match[2] : match[2].toLowerCase();
  if (!(unit in units)) {
    throw new Error(`memory quantity ${quantity}: unit "${match[2]}" not understood`);
  }
  return value * units[unit];
}

/** The app's container as `dir` (k8s/base, or an overlay under k8s/overlays) renders it. */
function appContainer(dir: string, app: AppName): Container {
  const objects = renderKustomization(join(K8S_DIR, dir));
  const workload = findObject(objects, 'Deployment', app);
  const container = podTemplateOf(workload!)?.spec.containers.find((candidate) => candidate.name === app);
  if (!container) {
    throw new Error(`k8s/${dir}: no ${app} container in Deployment ${app}`);
  }
  return container;
}

describe('memory budgets: the image, Kubernetes, Compose and the launcher agree', () => {
  it('the image sets the heap as a share of the container limit, with the launcher’s flags', () => {
    for (const app of APPS) {
      expect(imageEnv(app).NODE_OPTIONS).toBe(IMAGE_NODE_OPTIONS);
    }
    expect(IMAGE_NODE_OPTIONS).toMatch(/--max-old-space-size-percentage=\d+/);
  });

  it.each(APPS)('%s: k8s/base’s memory limit is the launcher’s, and neither overlay replaces NODE_OPTIONS', (app) => {
    const base = appContainer('base', app);
    expect(mebibytes(base.resources!.limits!.memory, 'kubernetes')).toBe(REPLICA_MEMORY_LIMIT_MIB[app]);
    for (const overlay of ['overlays/dev', 'overlays/prod']) {
      const names = (appContainer(overlay, app).env ?? []).map((variable) => variable.name);
      expect(names).not.toContain('NODE_OPTIONS');
    }
  });

  it.each(['overlays/dev', 'overlays/prod'])('%s: every app container keeps enough outside its heap', (overlay) => {
    for (const app of APPS) {
      const limit = mebibytes(appContainer(overlay, app).resources!.limits!.memory, 'kubernetes');
      const heap = heapShareMib(limit);
      expect({ app, outsideHeap: limit - heap >= OUTSIDE_HEAP_MIN_MIB[app] }).toEqual({ app, outsideHeap: true });
    }
  });

  it.each(APPS)('%s: docker-compose.yml limits each replica as Kubernetes does and keeps the image’s flags', (app) => {
    const service = loadCompose({}).services[app];
    expect(mebibytes(String(service.mem_limit), 'compose')).toBe(REPLICA_MEMORY_LIMIT_MIB[app]);
    expect(serviceEnvironment(service)).not.toHaveProperty('NODE_OPTIONS');
  });

  it('the launcher spells out the heap a container of that limit would get', () => {
    expect(replicaNodeFlags('catalog')).toEqual(['--max-semi-space-size=4', '--max-old-space-size=192']);
    expect(heapBudgetMib('gateway')).toBe(256);
    for (const app of APPS) {
      expect(replicaNodeFlags(app)).toContain(`--max-old-space-size=${heapBudgetMib(app)}`);
      expect(IMAGE_NODE_OPTIONS).toContain(replicaNodeFlags(app)[0]);
    }
  });
});

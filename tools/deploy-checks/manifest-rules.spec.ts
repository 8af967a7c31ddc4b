import { join } from 'node:path';
import { checkAppDeployments } from './app-deployments';
import { Container, K8sObject } from './k8s-objects';
import { K8S_DIR, renderKustomization } from './kustomize';
import { checkManifests } from './manifest-rules';

/**
 * The rules must be able to fail: each case breaks one thing in an otherwise clean rendering of
 * overlays/dev and expects exactly that to be reported.
 */
describe(checkManifests.name, () => {
  let rendered: K8sObject[];

  beforeAll(() => {
    rendered = renderKustomization(join(K8S_DIR, 'overlays', 'dev'));
  });

  function broken(mutate: (objects: K8sObject[]) => void): K8sObject[] {
    const objects = structuredClone(rendered);
    mutate(objects);
    return objects;
  }

  function object(objects: K8sObject[], kind: string, name: string): K8sObject {
    return objects.find((candidate) => candidate.kind === kind && candidate.metadata.name.startsWith(name))!;
  }

  function container(objects: K8sObject[], app: string): Container {
    return object(objects, 'Deployment', app).spec.template.spec.containers[0] as Container;
  }

  const rules = { allowSecrets: true, namespace: 'bazaar-dev' };

  it('passes the unbroken overlay', () => {
    expect(checkManifests(rendered, rules)).toEqual([]);
  });

  it.each([
    [
      'a missing readiness probe',
      (o: K8sObject[]) => delete container(o, 'orders').readinessProbe,
      /orders: needs a readinessProbe/,
    ],
    ['an unpinned image', (o: K8sObject[]) => (container(o, 'auth').image = 'bazaar-auth:latest'), /pinned tag/],
    [
      'a writable root filesystem',
      (o: K8sObject[]) => (container(o, 'gateway').securityContext!.readOnlyRootFilesystem = false),
      /readOnlyRootFilesystem/,
    ],
    [
      'kept capabilities',
      (o: K8sObject[]) => (container(o, 'gateway').securityContext!.capabilities = { drop: [] }),
      /drop ALL/,
    ],
    [
      'missing limits',
      (o: K8sObject[]) => delete container(o, 'catalog').resources!.limits,
      /limits.cpu, limits.memory/,
    ],
    ['no preStop pause', (o: K8sObject[]) => delete container(o, 'catalog').lifecycle, /preStop/],
    [
      'a probe on an undeclared port',
      (o: K8sObject[]) => (container(o, 'auth').livenessProbe!.httpGet!.port = 'metrics'),
      /port metrics/,
    ],
    [
      'a rollout that may drop capacity',
      (o: K8sObject[]) => (object(o, 'Deployment', 'gateway').spec.strategy.rollingUpdate.maxUnavailable = 1),
      /maxUnavailable: 0/,
    ],
    [
      'a selector that misses its pods',
      (o: K8sObject[]) => (object(o, 'Deployment', 'orders').spec.selector.matchLabels = { app: 'order' }),
      /spec.selector does not match/,
    ],
    [
      'a budget for pods that do not exist',
      (o: K8sObject[]) => (object(o, 'PodDisruptionBudget', 'auth').spec.selector.matchLabels = { app: 'authn' }),
      /PodDisruptionBudget\/auth: selects no pods/,
    ],
    [
      'a Service pointing at a port nobody serves',
      (o: K8sObject[]) => (object(o, 'Service', 'gateway').spec.ports[0].targetPort = 'web'),
      /targetPort web/,
    ],
    [
      'no spread across nodes',
      (o: K8sObject[]) => delete object(o, 'Deployment', 'orders').spec.template.spec.topologySpreadConstraints,
      /across nodes/,
    ],
    [
      'a root user',
      (o: K8sObject[]) => (object(o, 'StatefulSet', 'nats').spec.template.spec.securityContext.runAsUser = 0),
      /uid 0/,
    ],
    [
      'an object in another namespace',
      (o: K8sObject[]) => (object(o, 'ConfigMap', 'bazaar-config').metadata.namespace = 'default'),
      /namespace default/,
    ],
  ])('reports %s', (_case, mutate, expected) => {
    const sut = checkManifests(broken(mutate), rules);

    expect(sut.join('\n')).toMatch(expected);
  });

  it('reports Secrets outside a development overlay', () => {
    expect(checkManifests(rendered, { namespace: 'bazaar-dev' }).join('\n')).toMatch(
      /Secrets are created by operators/,
    );
  });

  it('reports an autoscaler below two replicas or without a CPU target', () => {
    const objects = renderKustomization(join(K8S_DIR, 'overlays', 'prod'));
    const hpa = object(objects, 'HorizontalPodAutoscaler', 'orders');
    hpa.spec.minReplicas = 1;
    hpa.spec.metrics = [];

    const sut = checkManifests(objects, { namespace: 'bazaar', minHpaReplicas: 2 }).join('\n');

    expect(sut).toMatch(/minReplicas 1 is below 2/);
    expect(sut).toMatch(/must scale on CPU/);
  });
});

describe(checkAppDeployments.name, () => {
  let rendered: K8sObject[];

  beforeAll(() => {
    rendered = renderKustomization(join(K8S_DIR, 'overlays', 'dev'));
  });

  function configMap(objects: K8sObject[], prefix: string): K8sObject {
    return objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith(prefix))!;
  }

  function deployment(objects: K8sObject[], app: string): K8sObject {
    return objects.find((object) => object.kind === 'Deployment' && object.metadata.name === app)!;
  }

  it('reports a setting the app would reject at start-up', () => {
    const objects = structuredClone(rendered);
    configMap(objects, 'bazaar-config').data!.NATS_URL = 'http://nats:4222';

    const sut = checkAppDeployments(objects, 'bazaar-dev').problems.join('\n');

    expect(sut).toMatch(/Deployment\/gateway \(gateway\): the app would refuse to start: NATS_URL/);
    expect(sut).toMatch(/Deployment\/orders \(orders\): the app would refuse to start: NATS_URL/);
  });

  it('reports a required variable that nothing sets', () => {
    const objects = structuredClone(rendered);
    const container = deployment(objects, 'orders').spec.template.spec.containers[0] as Container;
    container.env = container.env!.filter((variable) => variable.name !== 'DATABASE_URL');

    expect(checkAppDeployments(objects, 'bazaar-dev').problems.join('\n')).toMatch(/orders.*DATABASE_URL/);
  });

  it('reports a reference to a Secret nobody creates', () => {
    const objects = structuredClone(rendered);
    const container = deployment(objects, 'catalog').spec.template.spec.containers[0] as Container;
    container.env!.find((variable) => variable.name === 'DATABASE_URL')!.valueFrom!.secretKeyRef!.name =
      'catalog-database';

    expect(checkAppDeployments(objects, 'bazaar-dev').problems.join('\n')).toMatch(
      /Secret catalog-database .*does not exist/,
    );
  });

  it('reports a misspelt variable', () => {
    const objects = structuredClone(rendered);
    configMap(objects, 'gateway-config').data!.RATE_LIMIT_PRM = '10';

    expect(checkAppDeployments(objects, 'bazaar-dev').problems).toContain(
      'Deployment/gateway (gateway): RATE_LIMIT_PRM is not a setting of gateway',
    );
  });

  it('reports an ops port that moved away from the container port the probes use', () => {
    const objects = structuredClone(rendered);
    configMap(objects, 'auth-config').data!.OPS_PORT = '9001';

    expect(checkAppDeployments(objects, 'bazaar-dev').problems.join('\n')).toMatch(
      /listens on 9001, but container port "ops" is 3001/,
    );
  });

  it('reports a grace period shorter than the drain', () => {
    const objects = structuredClone(rendered);
    configMap(objects, 'bazaar-config').data!.SHUTDOWN_GRACE_MS = '60000';

    expect(checkAppDeployments(objects, 'bazaar-dev').problems.join('\n')).toMatch(
      /terminationGracePeriodSeconds 30 < .*70 s/,
    );
  });

  it('reports a service that would start on an unmigrated database', () => {
    const objects = structuredClone(rendered);
    delete deployment(objects, 'orders').spec.template.spec.initContainers;

    expect(checkAppDeployments(objects, 'bazaar-dev').problems.join('\n')).toMatch(
      /orders \(orders\): MIGRATIONS_RUN is false, but no init container runs orders --migrate-only/,
    );
  });

  it("validates the migration init container's environment too", () => {
    const objects = structuredClone(rendered);
    const init = deployment(objects, 'catalog').spec.template.spec.initContainers[0] as Container;
    init.env = init.env!.filter((variable) => variable.name !== 'DATABASE_URL');

    expect(checkAppDeployments(objects, 'bazaar-dev').problems.join('\n')).toMatch(
      /init container migrate \(catalog\): the app would refuse to start: DATABASE_URL/,
    );
  });

  it('reports settings two apps must share that differ', () => {
    const objects = structuredClone(rendered);
    const gateway = deployment(objects, 'gateway').spec.template.spec.containers[0] as Container;
    gateway.env!.push({ name: 'NATS_URL', value: 'nats://elsewhere:4222' });

    expect(checkAppDeployments(objects, 'bazaar-dev').problems.join('\n')).toMatch(/NATS_URL differs between apps/);
  });
});

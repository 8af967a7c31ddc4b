import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPS } from './app-config';
import { checkAppDeployments } from './app-deployments';
import { examplePodName, resolveContainerEnv } from './container-env';
import { describeObject, isWorkload, K8sObject, podTemplateOf } from './k8s-objects';
import { K8S_DIR, REPO_ROOT, renderKustomization, renderOverlayVariant } from './kustomize';
import { checkManifests, RuleOptions } from './manifest-rules';
import { validateSchemas } from './schemas';
import { SECRET_PLACEHOLDERS } from './secret-placeholders';
import { generateBusCredentials, natsServerEnv } from '../nats/local-nats-server';

interface Overlay {
  name: string;
  namespace: string;
  rules: RuleOptions;
}

const OVERLAYS: Overlay[] = [
  { name: 'dev', namespace: 'bazaar-dev', rules: { allowSecrets: true } },
  { name: 'prod', namespace: 'bazaar', rules: { requireVersionTags: true, minHpaReplicas: 2 } },
];

/**
 * Custom resources kubernetes-models can't schema-validate: the rules still check what they point
 * at, and the Gateway API objects against a schema of their own (gateway-api-schema.ts).
 */
const CUSTOM_RESOURCES = [
  'monitoring.coreos.com/v1 PrometheusRule',
  'monitoring.coreos.com/v1 ServiceMonitor',
  'gateway.networking.k8s.io/v1 Gateway',
  'gateway.networking.k8s.io/v1 HTTPRoute',
];

function named(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((object) => object.kind === kind && object.metadata.name === name);
}

describe('Kubernetes manifests', () => {
  describe.each(OVERLAYS)('overlays/$name', ({ name, namespace, rules }) => {
    let objects: K8sObject[];

    beforeAll(() => {
      objects = renderKustomization(join(K8S_DIR, 'overlays', name));
    });

    it('renders a Deployment, Service, ServiceAccount and PodDisruptionBudget for every app', () => {
      for (const app of APPS) {
        for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'PodDisruptionBudget']) {
          expect(`${kind}/${named(objects, kind, app)?.metadata.name}`).toBe(`${kind}/${app}`);
        }
      }
    });

    it('matches the Kubernetes API schemas', () => {
      const sut = validateSchemas(objects);

      expect(sut.problems).toEqual([]);
      expect(sut.skipped.filter((kind) => !CUSTOM_RESOURCES.includes(kind))).toEqual([]);
    });

    it('follows the rules for probes, resources, security, rollouts, budgets, selectors and images', () => {
      expect(checkManifests(objects, { ...rules, namespace })).toEqual([]);
    });

    it("gives every app an environment that passes the app's own config validation", () => {
      const sut = checkAppDeployments(objects, namespace);

      expect(sut.problems).toEqual([]);
      expect(Object.keys(sut.configs).sort()).toEqual([...APPS].sort());
    });

    it('resolves every ConfigMap and Secret reference of every container', () => {
      const problems = objects
        .filter(isWorkload)
        .flatMap((workload) =>
          podTemplateOf(workload)!.spec.containers.flatMap((container) =>
            resolveContainerEnv(container, { objects, namespace, podName: examplePodName(workload) }).problems.map(
              (problem) => `${describeObject(workload)}: ${problem}`,
            ),
          ),
        );

      expect(problems).toEqual([]);
    });
  });

  describe('overlays/dev', () => {
    it('runs one replica of each app without autoscaling, with in-cluster NATS and a Postgres per service', () => {
      const objects = renderKustomization(join(K8S_DIR, 'overlays', 'dev'));

      expect(objects.filter((object) => object.kind === 'HorizontalPodAutoscaler')).toEqual([]);
      expect(APPS.map((app) => named(objects, 'Deployment', app)?.spec.replicas)).toEqual([1, 1, 1, 1]);
      expect(named(objects, 'StatefulSet', 'nats')?.spec.replicas).toBe(3);
      expect(
        ['auth', 'catalog', 'orders'].map((svc) => Boolean(named(objects, 'StatefulSet', `postgres-${svc}`))),
      ).toEqual([true, true, true]);
    });
  });

  describe('overlays/prod', () => {
    it('autoscales every app from at least 2 replicas and runs no in-cluster database', () => {
      const objects = renderKustomization(join(K8S_DIR, 'overlays', 'prod'));
      const hpas = objects.filter((object) => object.kind === 'HorizontalPodAutoscaler');

      expect(hpas.map((hpa) => hpa.spec.scaleTargetRef.name).sort()).toEqual([...APPS].sort());
      expect(hpas.every((hpa) => hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas > hpa.spec.minReplicas)).toBe(true);
      expect(objects.filter((object) => object.metadata.name.startsWith('postgres-') && isWorkload(object))).toEqual(
        [],
      );
    });
  });

  describe('the public entry', () => {
    const routedPaths = (route: K8sObject): string[] =>
      route.spec.rules.flatMap((rule: { matches?: Array<{ path: { type: string; value: string } }> }) =>
        (rule.matches ?? []).map((match) => `${match.path.type} ${match.path.value}`),
      );
    const PUBLIC_PATHS = ['PathPrefix /v1', 'PathPrefix /.well-known', 'PathPrefix /docs'];

    it('is the Gateway API in overlays/prod: HTTPS to the API, the JWKS and the docs only, HTTP redirecting', () => {
      const objects = renderKustomization(join(K8S_DIR, 'overlays', 'prod'));
      const api = named(objects, 'HTTPRoute', 'gateway')!;
      const redirect = named(objects, 'HTTPRoute', 'gateway-https-redirect')!;

      expect(objects.filter((object) => object.kind === 'Ingress')).toEqual([]);
      expect(named(objects, 'Gateway', 'bazaar')?.spec.listeners.map((l: { name: string }) => l.name)).toEqual([
        'https',
        'http',
      ]);
      expect({ parent: api.spec.parentRefs[0].sectionName, paths: routedPaths(api) }).toEqual({
        parent: 'https',
        paths: PUBLIC_PATHS,
      });
      expect(api.spec.rules.flatMap((rule: { backendRefs: unknown[] }) => rule.backendRefs)).toEqual([
        { name: 'gateway', port: 80 },
      ]);
      expect(redirect.spec.rules).toEqual([
        { filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] },
      ]);
    });

    it('can be the Ingress instead: that variant of overlays/prod renders, validates and follows the rules', () => {
      const objects = renderOverlayVariant('prod', (kustomization) =>
        kustomization
          .replace('../../components/gateway-api', '../../components/ingress')
          .replace(/\n {2}- path: gateway-host\.yaml/, ''),
      );
      const ingress = named(objects, 'Ingress', 'gateway');

      expect(objects.filter((object) => object.apiVersion.startsWith('gateway.networking.k8s.io/'))).toEqual([]);
      expect(ingress?.metadata.annotations).toBeUndefined();
      expect(
        ingress?.spec.rules[0].http.paths.map(
          (path: { pathType: string; path: string }) => `${path.pathType} ${path.path}`,
        ),
      ).toEqual(PUBLIC_PATHS.map((path) => path.replace('PathPrefix', 'Prefix')));
      expect(validateSchemas(objects).problems).toEqual([]);
      expect(checkManifests(objects, { requireVersionTags: true, minHpaReplicas: 2, namespace: 'bazaar' })).toEqual([]);
    });
  });

  it("mounts a managed database's CA into every database user, migrate step included (components/postgres-ca)", () => {
    const objects = renderOverlayVariant('prod', (kustomization) =>
      kustomization.replace(
        '  - ../../components/monitoring',
        '  - ../../components/monitoring\n  - ../../components/postgres-ca',
      ),
    );
    for (const app of ['auth', 'catalog', 'orders']) {
      const pod = named(objects, 'Deployment', app)?.spec.template.spec;
      const mounted = (container: { volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }> }) =>
        container.volumeMounts?.find((mount) => mount.name === 'postgres-ca');
      expect(pod.volumes).toContainEqual({
        name: 'postgres-ca',
        secret: { secretName: 'postgres-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] },
      });
      for (const container of [...pod.initContainers, ...pod.containers]) {
        expect(mounted(container)).toEqual({
          name: 'postgres-ca',
          mountPath: '/etc/bazaar/postgres-ca',
          readOnly: true,
        });
      }
    }
    expect(named(objects, 'Deployment', 'gateway')?.spec.template.spec.volumes).not.toContainEqual(
      expect.objectContaining({ name: 'postgres-ca' }),
    );
    expect(validateSchemas(objects).problems).toEqual([]);
    expect(checkManifests(objects, { requireVersionTags: true, minHpaReplicas: 2, namespace: 'bazaar' })).toEqual([]);
  });

  it('renders base on its own (what every overlay builds on)', () => {
    const objects = renderKustomization(join(K8S_DIR, 'base'));

    expect(validateSchemas(objects).problems).toEqual([]);
  });

  it('documents every Secret an operator must create, with its keys, in docs/operations.md', () => {
    const guide = readFileSync(join(REPO_ROOT, 'docs', 'operations.md'), 'utf8');
    const undocumented = Object.entries(SECRET_PLACEHOLDERS).flatMap(([secret, keys]) =>
      [secret, ...Object.keys(keys)].filter((word) => !guide.includes(word)).map((word) => `${secret}: ${word}`),
    );

    expect(undocumented).toEqual([]);
  });

  it('explains every alert of the monitoring component in docs/operations.md', () => {
    const guide = readFileSync(join(REPO_ROOT, 'docs', 'operations.md'), 'utf8');
    const rules = renderKustomization(join(K8S_DIR, 'overlays', 'prod')).find(
      (object) => object.kind === 'PrometheusRule',
    );
    const alerts: string[] = rules!.spec.groups.flatMap((group: { rules: { alert: string }[] }) =>
      group.rules.map((rule) => rule.alert),
    );

    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.filter((alert) => !guide.includes(alert))).toEqual([]);
  });

  const natsServer = ['/usr/sbin/nats-server', '/usr/local/bin/nats-server'].find((path) => existsSync(path));
  (natsServer ? it : it.skip)('ships a NATS configuration that nats-server accepts', () => {
    const result = spawnSync(natsServer!, ['-c', join(K8S_DIR, 'components', 'nats', 'nats.conf'), '-t'], {
      encoding: 'utf8',
      // The passwords come from the pods' Secrets; without them the server refuses to start.
      env: { ...process.env, SERVER_NAME: 'nats-0', ...natsServerEnv(generateBusCredentials()) },
    });

    expect(`${result.status} ${result.stdout}${result.stderr}`).toMatch(/^0 .*valid/s);
  });
});

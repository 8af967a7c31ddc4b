import { join } from 'node:path';
import { SERVICES } from './app-config';
import { K8sObject } from './k8s-objects';
import { K8S_DIR, parseManifests, renderKustomization, renderOverlayVariant } from './kustomize';
import { canConnect, Endpoint, workloadEndpoint } from './network-policy';

/** The proxy Envoy Gateway runs for the Gateway "bazaar" (components/gateway-api), in its own namespace. */
const EDGE_PROXY: Endpoint = {
  labels: {
    'app.kubernetes.io/name': 'envoy',
    'gateway.envoyproxy.io/owning-gateway-name': 'bazaar',
    'gateway.envoyproxy.io/owning-gateway-namespace': 'bazaar',
  },
  namespace: 'envoy-gateway-system',
};
/** Another team's Gateway, served by the same Envoy Gateway. */
const OTHER_GATEWAY_PROXY: Endpoint = {
  labels: { 'app.kubernetes.io/name': 'envoy', 'gateway.envoyproxy.io/owning-gateway-name': 'payments' },
  namespace: 'envoy-gateway-system',
};
/** What components/ingress lets in instead: a controller in the namespace its patch names. */
const INGRESS_CONTROLLER: Endpoint = {
  labels: { 'app.kubernetes.io/name': 'traefik' },
  namespace: 'ingress-controller',
};
const RETIRED_INGRESS_NGINX: Endpoint = {
  labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
  namespace: 'ingress-nginx',
};
const PROMETHEUS: Endpoint = { labels: { 'app.kubernetes.io/name': 'prometheus' }, namespace: 'monitoring' };
const CLUSTER_DNS: Endpoint = { labels: { 'k8s-app': 'kube-dns' }, namespace: 'kube-system' };
const INTERNET: Endpoint = { namespace: '', ip: '203.0.113.7' };

describe('network policies', () => {
  describe('overlays/dev (in-cluster NATS and Postgres)', () => {
    const namespace = 'bazaar-dev';
    let objects: K8sObject[];
    let pod: (name: string) => Endpoint;

    beforeAll(() => {
      objects = renderKustomization(join(K8S_DIR, 'overlays', 'dev'));
      pod = (name) => workloadEndpoint(objects, name, namespace);
    });

    it("lets the Gateway's proxy reach the gateway, and nothing else", () => {
      expect(canConnect(objects, EDGE_PROXY, pod('gateway'), 3000)).toBe(true);
      expect(canConnect(objects, EDGE_PROXY, pod('auth'), 3001)).toBe(false);
      expect(canConnect(objects, EDGE_PROXY, pod('nats'), 4222)).toBe(false);
      expect(canConnect(objects, OTHER_GATEWAY_PROXY, pod('gateway'), 3000)).toBe(false);
      expect(canConnect(objects, RETIRED_INGRESS_NGINX, pod('gateway'), 3000)).toBe(false);
      expect(canConnect(objects, INTERNET, pod('gateway'), 3000)).toBe(false);
    });

    it('lets every app reach NATS, and the NATS nodes reach each other', () => {
      for (const app of ['gateway', ...SERVICES]) {
        expect(`${app} ${canConnect(objects, pod(app), pod('nats'), 4222)}`).toBe(`${app} true`);
      }
      expect(canConnect(objects, pod('nats'), pod('nats'), 6222)).toBe(true);
      expect(canConnect(objects, pod('gateway'), pod('nats'), 6222)).toBe(false);
    });

    it('lets each service reach only its own database', () => {
      for (const service of SERVICES) {
        for (const database of SERVICES) {
          const allowed = canConnect(objects, pod(service), pod(`postgres-${database}`), 5432);
          expect(`${service} -> postgres-${database}: ${allowed}`).toBe(
            `${service} -> postgres-${database}: ${service === database}`,
          );
        }
      }
      expect(canConnect(objects, pod('gateway'), pod('postgres-auth'), 5432)).toBe(false);
    });

    it('keeps apps from calling each other directly or the internet', () => {
      expect(canConnect(objects, pod('gateway'), pod('auth'), 3001)).toBe(false);
      expect(canConnect(objects, pod('orders'), pod('catalog'), 3002)).toBe(false);
      expect(canConnect(objects, pod('orders'), INTERNET, 443)).toBe(false);
    });

    it('lets Prometheus scrape the apps and NATS but not the databases', () => {
      expect(canConnect(objects, PROMETHEUS, pod('gateway'), 3000)).toBe(true);
      expect(canConnect(objects, PROMETHEUS, pod('orders'), 3003)).toBe(true);
      expect(canConnect(objects, PROMETHEUS, pod('nats'), 8222)).toBe(true);
      expect(canConnect(objects, PROMETHEUS, pod('postgres-orders'), 5432)).toBe(false);
    });

    it('lets every pod resolve names through cluster DNS', () => {
      expect(canConnect(objects, pod('catalog'), CLUSTER_DNS, 53, 'UDP')).toBe(true);
      expect(canConnect(objects, pod('nats'), CLUSTER_DNS, 53, 'TCP')).toBe(true);
    });
  });

  describe('overlays/prod (managed databases outside the cluster)', () => {
    const namespace = 'bazaar';
    const database: Endpoint = { namespace: '', ip: '10.20.30.40' };
    let objects: K8sObject[];

    beforeAll(() => {
      objects = renderKustomization(join(K8S_DIR, 'overlays', 'prod'));
    });

    it("lets the Gateway's proxy, and no other, reach the gateway", () => {
      const gateway = workloadEndpoint(objects, 'gateway', namespace);

      expect(canConnect(objects, EDGE_PROXY, gateway, 3000)).toBe(true);
      expect(canConnect(objects, OTHER_GATEWAY_PROXY, gateway, 3000)).toBe(false);
      expect(canConnect(objects, INGRESS_CONTROLLER, gateway, 3000)).toBe(false);
    });

    it('lets the ingress controller in instead when the overlay takes components/ingress', () => {
      const withIngress = renderOverlayVariant('prod', (kustomization) =>
        kustomization
          .replace('../../components/gateway-api', '../../components/ingress')
          .replace(/\n {2}- path: gateway-host\.yaml/, ''),
      );
      const gateway = workloadEndpoint(withIngress, 'gateway', namespace);

      expect(canConnect(withIngress, INGRESS_CONTROLLER, gateway, 3000)).toBe(true);
      expect(canConnect(withIngress, EDGE_PROXY, gateway, 3000)).toBe(false);
      expect(
        canConnect(withIngress, INGRESS_CONTROLLER, workloadEndpoint(withIngress, 'orders', namespace), 3003),
      ).toBe(false);
    });

    it('lets the services, and only they, reach Postgres outside the cluster', () => {
      for (const service of SERVICES) {
        expect(canConnect(objects, workloadEndpoint(objects, service, namespace), database, 5432)).toBe(true);
      }
      expect(canConnect(objects, workloadEndpoint(objects, 'gateway', namespace), database, 5432)).toBe(false);
      expect(canConnect(objects, workloadEndpoint(objects, 'auth', namespace), database, 443)).toBe(false);
    });
  });

  describe(canConnect.name, () => {
    const policies = parseManifests(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web, namespace: ns }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Ingress]
  ingress:
    - from: [{ podSelector: { matchExpressions: [{ key: role, operator: In, values: [client] }] } }]
      ports: [{ port: http }]
`);
    const web: Endpoint = { labels: { app: 'web' }, namespace: 'ns', ports: [{ name: 'http', containerPort: 8080 }] };

    it('allows everything to pods no policy selects', () => {
      expect(canConnect(policies, web, { labels: { app: 'db' }, namespace: 'ns' }, 5432)).toBe(true);
    });

    it('resolves named ports against the destination pod', () => {
      expect(canConnect(policies, { labels: { role: 'client' }, namespace: 'ns' }, web, 8080)).toBe(true);
      expect(canConnect(policies, { labels: { role: 'client' }, namespace: 'ns' }, web, 9090)).toBe(false);
    });

    it('matches a bare podSelector only within the policy namespace', () => {
      expect(canConnect(policies, { labels: { role: 'client' }, namespace: 'other' }, web, 8080)).toBe(false);
    });
  });
});

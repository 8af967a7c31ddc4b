import { Container, K8sObject, LabelSelector, Labels, podTemplateOf, selectorMatches } from './k8s-objects';

/**
 * Evaluates NetworkPolicies the way a conforming CNI enforces them, for the connection matrix
 * checks: a pod selected by any policy of a direction is isolated in that direction, and then
 * only what some selecting policy's rule allows gets through. A connection needs both the source's
 * egress and the destination's ingress to allow it.
 */
export interface Endpoint {
  /** Pod labels, or undefined for something outside the cluster (matched by ipBlock only). */
  labels?: Labels;
  namespace: string;
  /** Labels of the endpoint's namespace (kubernetes.io/metadata.name is added automatically). */
  namespaceLabels?: Labels;
  ip?: string;
  /** The destination pod's container ports, for named ports in rules. */
  ports?: Container['ports'];
}

interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: PolicyPort[];
}

type Direction = 'Ingress' | 'Egress';

function namespaceLabels(endpoint: Endpoint): Labels {
  return { ...endpoint.namespaceLabels, 'kubernetes.io/metadata.name': endpoint.namespace };
}

function policyTypes(policy: K8sObject): Direction[] {
  if (Array.isArray(policy.spec?.policyTypes)) {
    return policy.spec.policyTypes as Direction[];
  }
  return policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [network, bits] = cidr.split('/');
  const size = Number(bits);
  if (size === 0) {
    return true;
  }
  const mask = 2 ** 32 - 2 ** (32 - size);
  return (ipv4ToNumber(ip) & mask) >>> 0 === (ipv4ToNumber(network) & mask) >>> 0;
}

function peerMatches(peer: PolicyPeer, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) {
    return (
      other.labels === undefined &&
      other.ip !== undefined &&
      inCidr(other.ip, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((cidr) => inCidr(other.ip!, cidr))
    );
  }
  if (other.labels === undefined) {
    return false;
  }
  const namespaceOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, namespaceLabels(other))
    : other.namespace === policyNamespace;
  const podOk = peer.podSelector ? selectorMatches(peer.podSelector, other.labels) : true;
  return namespaceOk && podOk;
}

function portMatches(rulePort: PolicyPort, port: number, protocol: string, destination: Endpoint): boolean {
  if ((rulePort.protocol ?? 'TCP') !== protocol) {
    return false;
  }
  if (rulePort.port === undefined) {
    return true;
  }
  if (typeof rulePort.port === 'string') {
    return (destination.ports ?? []).some((p) => p.name === rulePort.port && p.containerPort === port);
  }
  return port >= rulePort.port && port <= (rulePort.endPort ?? rulePort.port);
}

function allowedBy(
  policies: K8sObject[],
  direction: Direction,
  subject: Endpoint,
  other: Endpoint,
  port: number,
  protocol: string,
  destination: Endpoint,
): boolean {
  if (subject.labels === undefined) {
    return true; // outside the cluster: not ours to police
  }
  const selecting = policies.filter(
    (policy) =>
      (policy.metadata.namespace ?? subject.namespace) === subject.namespace &&
      selectorMatches(policy.spec?.podSelector ?? {}, subject.labels) &&
      policyTypes(policy).includes(direction),
  );
  if (selecting.length === 0) {
    return true; // not isolated
  }
  return selecting.some((policy) => {
    const rules: PolicyRule[] = (direction === 'Ingress' ? policy.spec?.ingress : policy.spec?.egress) ?? [];
    const namespace = policy.metadata.namespace ?? subject.namespace;
    return rules.some((rule) => {
      const peers = direction === 'Ingress' ? rule.from : rule.to;
      const peerOk =
        peers === undefined || peers.length === 0 || peers.some((peer) => peerMatches(peer, namespace, other));
      const portOk =
        rule.ports === undefined ||
        rule.ports.length === 0 ||
        rule.ports.some((p) => portMatches(p, port, protocol, destination));
      return peerOk && portOk;
    });
  });
}

/** Whether `source` may open a connection to `destination` on `port`. */
export function canConnect(
  objects: K8sObject[],
  source: Endpoint,
  destination: Endpoint,
  port: number,
  protocol: 'TCP' | 'UDP' = 'TCP',
): boolean {
  const policies = objects.filter((object) => object.kind === 'NetworkPolicy');
  return (
    allowedBy(policies, 'Egress', source, destination, port, protocol, destination) &&
    allowedBy(policies, 'Ingress', destination, source, port, protocol, destination)
  );
}

/** The pods of a rendered workload as a connection endpoint. */
export function workloadEndpoint(objects: K8sObject[], name: string, namespace: string): Endpoint {
  const workload = objects.find(
    (object) => ['Deployment', 'StatefulSet'].includes(object.kind) && object.metadata.name === name,
  );
  const template = workload ? podTemplateOf(workload) : undefined;
  if (!template) {
    throw new Error(`No workload named ${name} in the rendered objects`);
  }
  return {
    labels: template.metadata?.labels ?? {},
    namespace,
    ports: template.spec.containers.flatMap((container) => container.ports ?? []),
  };
}

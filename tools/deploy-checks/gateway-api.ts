import { describeObject, K8sObject } from './k8s-objects';
import { DURATION_PATTERN, GATEWAY_SPEC, HTTP_ROUTE_SPEC, schemaProblems } from './gateway-api-schema';
import { SECRET_PLACEHOLDERS } from './secret-placeholders';

/**
 * The Gateway API objects checked offline: their schema (gateway-api-schema.ts), then what they
 * point at: each route's parent Gateway and listener (and that the listener admits it), each
 * backendRef a Service port that exists, each certificate a Secret someone creates, and a request
 * timeout above the gateway's own, so slow requests get the gateway's answer rather than the proxy's.
 */
export const GATEWAY_API = 'gateway.networking.k8s.io/v1';

interface Listener {
  name: string;
  protocol: string;
  tls?: { mode?: string; certificateRefs?: Array<{ kind?: string; name: string }> };
  allowedRoutes?: { namespaces?: { from?: string } };
}

interface RouteRule {
  filters?: Array<{ type: string }>;
  backendRefs?: Array<{ group?: string; kind?: string; name: string; port?: number }>;
  timeouts?: { request?: string };
}

function isKind(object: K8sObject, kind: string): boolean {
  return object.apiVersion === GATEWAY_API && object.kind === kind;
}

/** Milliseconds of a Gateway API Duration ("1m30s"), or undefined when it isn't one. */
export function durationMs(duration: string): number | undefined {
  if (!DURATION_PATTERN.test(duration)) {
    return undefined;
  }
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  return [...duration.matchAll(/([0-9]+)(ms|h|m|s)/g)].reduce(
    (sum, [, value, unit]) => sum + Number(value) * units[unit],
    0,
  );
}

function gatewayRequestTimeoutMs(objects: K8sObject[]): number | undefined {
  const config = objects.find((o) => o.kind === 'ConfigMap' && /^gateway-config(-[a-z0-9]+)?$/.test(o.metadata.name));
  const value = config?.data?.HTTP_REQUEST_TIMEOUT_MS;
  return value === undefined ? undefined : Number(value);
}

function checkGateway(gateway: K8sObject, objects: K8sObject[]): string[] {
  const where = describeObject(gateway);
  const listeners: Listener[] = gateway.spec?.listeners ?? [];
  const names = listeners.map((listener) => listener.name);
  const problems = names
    .filter((name, index) => names.indexOf(name) !== index)
    .map((name) => `${where}: listener name ${name} is used twice`);
  for (const listener of listeners.filter((l) => l.protocol === 'HTTPS')) {
    const refs = listener.tls?.certificateRefs ?? [];
    if ((listener.tls?.mode ?? 'Terminate') === 'Terminate' && refs.length === 0) {
      problems.push(`${where}: HTTPS listener ${listener.name} terminates TLS without a certificate`);
    }
    for (const ref of refs.filter((r) => (r.kind ?? 'Secret') === 'Secret')) {
      const rendered = objects.some((o) => o.kind === 'Secret' && o.metadata.name === ref.name);
      if (!rendered && !SECRET_PLACEHOLDERS[ref.name]) {
        problems.push(`${where}: listener ${listener.name} needs Secret ${ref.name}, which nobody creates`);
      }
    }
  }
  return problems;
}

function checkParentRefs(route: K8sObject, objects: K8sObject[]): string[] {
  const where = describeObject(route);
  return (route.spec?.parentRefs ?? []).flatMap((ref: { name: string; namespace?: string; sectionName?: string }) => {
    const namespace = ref.namespace ?? route.metadata.namespace;
    const gateway = objects.find(
      (o) => isKind(o, 'Gateway') && o.metadata.name === ref.name && o.metadata.namespace === namespace,
    );
    if (!gateway) {
      return [`${where}: parent Gateway ${ref.name} does not exist`];
    }
    const listeners: Listener[] = (gateway.spec?.listeners ?? []).filter(
      (listener: Listener) => ref.sectionName === undefined || listener.name === ref.sectionName,
    );
    if (listeners.length === 0) {
      return [`${where}: Gateway ${ref.name} has no listener ${ref.sectionName}`];
    }
    const admitting = listeners.filter((listener) => {
      const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
      return from === 'All' || (from === 'Same' && gateway.metadata.namespace === route.metadata.namespace);
    });
    return admitting.length === 0 ? [`${where}: no listener of Gateway ${ref.name} admits routes from here`] : [];
  });
}

function checkRouteRules(route: K8sObject, objects: K8sObject[], minTimeoutMs: number | undefined): string[] {
  const where = describeObject(route);
  return (route.spec?.rules ?? []).flatMap((rule: RouteRule, index: number) => {
    const problems: string[] = [];
    const redirects = (rule.filters ?? []).some((filter) => filter.type === 'RequestRedirect');
    const backends = rule.backendRefs ?? [];
    if (redirects && backends.length > 0) {
      problems.push(`${where}: rule ${index} both redirects and forwards`);
    }
    if (!redirects && backends.length === 0) {
      problems.push(`${where}: rule ${index} neither redirects nor forwards`);
    }
    for (const ref of backends) {
      const service = (ref.group ?? '') === '' && (ref.kind ?? 'Service') === 'Service';
      const target = objects.find(
        (o) =>
          o.kind === 'Service' && o.metadata.name === ref.name && o.metadata.namespace === route.metadata.namespace,
      );
      const ports: Array<{ port: number }> = target?.spec?.ports ?? [];
      if (!service || !target || ref.port === undefined || !ports.some((port) => port.port === ref.port)) {
        problems.push(`${where}: rule ${index} forwards to ${ref.name}:${ref.port}, which is not a port of a Service`);
      }
    }
    const timeout = rule.timeouts?.request;
    if (
      backends.length > 0 &&
      minTimeoutMs !== undefined &&
      (timeout === undefined || (durationMs(timeout) ?? 0) <= minTimeoutMs)
    ) {
      problems.push(
        `${where}: rule ${index} must time out after the gateway's HTTP_REQUEST_TIMEOUT_MS (${minTimeoutMs} ms), not at ${timeout ?? "the proxy's default"}`,
      );
    }
    return problems;
  });
}

export function checkGatewayApi(objects: K8sObject[]): string[] {
  const minTimeoutMs = gatewayRequestTimeoutMs(objects);
  return objects.flatMap((object) => {
    if (isKind(object, 'Gateway')) {
      const schema = schemaProblems(object.spec, GATEWAY_SPEC, `${describeObject(object)} spec`);
      return schema.length > 0 ? schema : checkGateway(object, objects);
    }
    if (isKind(object, 'HTTPRoute')) {
      const schema = schemaProblems(object.spec, HTTP_ROUTE_SPEC, `${describeObject(object)} spec`);
      return schema.length > 0
        ? schema
        : [...checkParentRefs(object, objects), ...checkRouteRules(object, objects, minTimeoutMs)];
    }
    return object.apiVersion.startsWith('gateway.networking.k8s.io/') ? [`${describeObject(object)}: not checked`] : [];
  });
}

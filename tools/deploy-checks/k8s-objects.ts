/**
 * The slice of the Kubernetes object model the deploy checks read. Rendered manifests are plain
 * YAML, so everything is optional here and the rules say what must be present.
 */
export type Labels = Record<string, string>;

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Labels;
  annotations?: Record<string, string>;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // Rendered YAML of any kind: the rules read the spec loosely and check what they need.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  [field: string]: unknown;
}

export interface HttpGetAction {
  path?: string;
  port: number | string;
}

export interface Probe {
  httpGet?: HttpGetAction;
  exec?: { command?: string[] };
  tcpSocket?: { port: number | string };
  periodSeconds?: number;
  failureThreshold?: number;
  timeoutSeconds?: number;
}

export interface LifecycleHandler {
  exec?: { command?: string[] };
  sleep?: { seconds: number };
  httpGet?: HttpGetAction;
}

export interface EnvVarSource {
  configMapKeyRef?: { name: string; key: string; optional?: boolean };
  secretKeyRef?: { name: string; key: string; optional?: boolean };
  fieldRef?: { fieldPath: string };
  resourceFieldRef?: { resource: string; divisor?: string };
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: EnvVarSource;
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type: string };
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: LifecycleHandler };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface Volume {
  name: string;
  secret?: { secretName: string; optional?: boolean; items?: { key: string; path: string }[] };
  configMap?: { name: string; optional?: boolean; items?: { key: string; path: string }[] };
  emptyDir?: { medium?: string; sizeLimit?: string };
  persistentVolumeClaim?: { claimName: string };
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  enableServiceLinks?: boolean;
  terminationGracePeriodSeconds?: number;
  securityContext?: SecurityContext & { fsGroup?: number };
  topologySpreadConstraints?: { topologyKey: string; labelSelector?: LabelSelector; whenUnsatisfiable?: string }[];
  volumes?: Volume[];
}

export interface PodTemplate {
  metadata?: { labels?: Labels };
  spec: PodSpec;
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

export function isWorkload(object: K8sObject): boolean {
  return (WORKLOAD_KINDS as readonly string[]).includes(object.kind);
}

export function podTemplateOf(object: K8sObject): PodTemplate | undefined {
  return isWorkload(object) ? (object.spec?.template as PodTemplate | undefined) : undefined;
}

export function describeObject(object: K8sObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

/** Label-selector semantics of the API server: every matchLabels pair and every expression must hold. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Labels | undefined): boolean {
  if (!selector) {
    return false;
  }
  const actual = labels ?? {};
  const pairs = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => actual[key] === value);
  const expressions = (selector.matchExpressions ?? []).every((requirement) => {
    const value = actual[requirement.key];
    switch (requirement.operator) {
      case 'In':
        return value !== undefined && (requirement.values ?? []).includes(value);
      case 'NotIn':
        return value === undefined || !(requirement.values ?? []).includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
    }
  });
  return pairs && expressions;
}

/** A Service's `selector` is a bare label map. */
export function labelMapMatches(selector: Labels | undefined, labels: Labels | undefined): boolean {
  return (
    selector !== undefined && Object.keys(selector).length > 0 && selectorMatches({ matchLabels: selector }, labels)
  );
}

export function findObject(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((object) => object.kind === kind && object.metadata.name === name);
}

/** Seconds a preStop hook holds the container before SIGTERM: `sleep N` or the sleep action. */
export function preStopSeconds(container: Container): number {
  const handler = container.lifecycle?.preStop;
  if (handler?.sleep) {
    return handler.sleep.seconds;
  }
  const command = handler?.exec?.command ?? [];
  if (command[0] === 'sleep' && command.length === 2) {
    return Number(command[1]);
  }
  return 0;
}

import {
  Container,
  describeObject,
  isWorkload,
  K8sObject,
  labelMapMatches,
  PodTemplate,
  podTemplateOf,
  preStopSeconds,
  Probe,
  selectorMatches,
} from './k8s-objects';
import { checkGatewayApi } from './gateway-api';
import { SECRET_PLACEHOLDERS } from './secret-placeholders';

/**
 * The house rules for rendered manifests (STYLE.md 25, issue 6): hardened containers with probes,
 * resources and a preStop pause; rolling updates that never drop below capacity; PDBs, Services,
 * HPAs, ServiceMonitors, Ingresses and Gateway API routes that point at something real (gateway-api.ts);
 * no Secrets outside dev; pinned images.
 * Each rule returns human-readable problems, "<Kind>/<name>: what is wrong".
 */
export interface RuleOptions {
  /** Every namespaced object must land in this namespace. */
  namespace?: string;
  /** Only a development overlay may carry (generated, fake) Secrets. */
  allowSecrets?: boolean;
  /** Lowest minReplicas an HPA may have. */
  minHpaReplicas?: number;
  /** Image tags must look like versions (1.2.3), not just be present and not `latest`. */
  requireVersionTags?: boolean;
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass']);

export function checkManifests(objects: K8sObject[], options: RuleOptions = {}): string[] {
  return [
    ...objects.filter(isWorkload).flatMap((workload) => checkWorkload(workload, objects, options)),
    ...checkDisruptionBudgets(objects),
    ...checkServices(objects),
    ...checkAutoscalers(objects, options),
    ...checkIngresses(objects),
    ...checkGatewayApi(objects),
    ...checkServiceMonitors(objects),
    ...checkConfigReferences(objects),
    ...checkPlacement(objects, options),
  ];
}

function checkWorkload(workload: K8sObject, objects: K8sObject[], options: RuleOptions): string[] {
  const template = podTemplateOf(workload);
  const where = describeObject(workload);
  if (!template?.spec) {
    return [`${where}: has no pod template`];
  }
  const problems: string[] = [];
  if (!selectorMatches(workload.spec.selector, template.metadata?.labels)) {
    problems.push(`${where}: spec.selector does not match the pod template's labels`);
  }
  problems.push(...checkPodSecurity(where, template));
  problems.push(...checkSpread(where, template));
  if (
    template.spec.serviceAccountName &&
    !objects.some((o) => isNamed(o, 'ServiceAccount', template.spec.serviceAccountName!))
  ) {
    problems.push(`${where}: ServiceAccount ${template.spec.serviceAccountName} does not exist`);
  }
  for (const container of template.spec.containers ?? []) {
    problems.push(...checkContainer(`${where} container ${container.name}`, container, template, options));
  }
  for (const container of template.spec.initContainers ?? []) {
    problems.push(...checkImage(`${where} init container ${container.name}`, container, options));
    problems.push(...checkContainerSecurity(`${where} init container ${container.name}`, container, template));
    problems.push(...checkResources(`${where} init container ${container.name}`, container));
  }
  if (workload.kind === 'Deployment') {
    problems.push(...checkRollout(where, workload, objects));
  }
  return problems;
}

function checkPodSecurity(where: string, template: PodTemplate): string[] {
  const problems: string[] = [];
  const pod = template.spec;
  const seccompEverywhere = (pod.containers ?? []).every(
    (container) =>
      (container.securityContext?.seccompProfile ?? pod.securityContext?.seccompProfile)?.type === 'RuntimeDefault',
  );
  if (!seccompEverywhere) {
    problems.push(`${where}: seccompProfile RuntimeDefault is required (Pod Security "restricted")`);
  }
  if (pod.automountServiceAccountToken !== false) {
    problems.push(`${where}: automountServiceAccountToken must be false (no Bazaar pod talks to the API server)`);
  }
  if (pod.enableServiceLinks !== false) {
    problems.push(`${where}: enableServiceLinks must be false (service links inject <SERVICE>_PORT variables)`);
  }
  return problems;
}

function checkSpread(where: string, template: PodTemplate): string[] {
  const constraints = template.spec.topologySpreadConstraints ?? [];
  const byNode = constraints.find((constraint) => constraint.topologyKey === 'kubernetes.io/hostname');
  if (!byNode) {
    return [`${where}: needs a topologySpreadConstraint across nodes (kubernetes.io/hostname)`];
  }
  return constraints
    .filter((constraint) => !selectorMatches(constraint.labelSelector, template.metadata?.labels))
    .map((constraint) => `${where}: topology spread on ${constraint.topologyKey} does not select its own pods`);
}

function checkContainer(where: string, container: Container, template: PodTemplate, options: RuleOptions): string[] {
  return [
    ...checkImage(where, container, options),
    ...checkContainerSecurity(where, container, template),
    ...checkResources(where, container),
    ...checkProbes(where, container),
    ...checkPreStop(where, container, template),
  ];
}

export function checkImage(where: string, container: Container, options: RuleOptions = {}): string[] {
  const image = container.image ?? '';
  if (image.includes('@sha256:')) {
    return [];
  }
  const lastSegment = image.split('/').pop() ?? '';
  const tag = lastSegment.includes(':') ? lastSegment.split(':').pop()! : '';
  if (tag === '' || tag === 'latest') {
    return [`${where}: image "${image}" must have a pinned tag (not latest, not implicit)`];
  }
  if (options.requireVersionTags && !/^v?\d+\.\d+/.test(tag)) {
    return [`${where}: image "${image}" must be pinned to a version tag in this overlay`];
  }
  return [];
}

function checkContainerSecurity(where: string, container: Container, template: PodTemplate): string[] {
  const own = container.securityContext ?? {};
  const pod = template.spec.securityContext ?? {};
  const problems: string[] = [];
  if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true) {
    problems.push(`${where}: runAsNonRoot must be true`);
  }
  if ((own.runAsUser ?? pod.runAsUser) === 0) {
    problems.push(`${where}: must not run as uid 0`);
  }
  if (own.readOnlyRootFilesystem !== true) {
    problems.push(`${where}: readOnlyRootFilesystem must be true`);
  }
  if (own.allowPrivilegeEscalation !== false) {
    problems.push(`${where}: allowPrivilegeEscalation must be false`);
  }
  if (!(own.capabilities?.drop ?? []).includes('ALL') || (own.capabilities?.add ?? []).length > 0) {
    problems.push(`${where}: capabilities must drop ALL and add none`);
  }
  return problems;
}

function checkResources(where: string, container: Container): string[] {
  const missing = [
    ...['cpu', 'memory'].filter((resource) => !container.resources?.requests?.[resource]).map((r) => `requests.${r}`),
    ...['cpu', 'memory'].filter((resource) => !container.resources?.limits?.[resource]).map((r) => `limits.${r}`),
  ];
  return missing.length > 0 ? [`${where}: resources need ${missing.join(', ')}`] : [];
}

function probePortProblem(where: string, name: string, probe: Probe, container: Container): string[] {
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (port === undefined) {
    return [];
  }
  const ports = container.ports ?? [];
  const known =
    typeof port === 'number' ? ports.some((p) => p.containerPort === port) : ports.some((p) => p.name === port);
  return known ? [] : [`${where}: ${name} uses port ${port}, which the container does not declare`];
}

function checkProbes(where: string, container: Container): string[] {
  const problems: string[] = [];
  for (const name of ['readinessProbe', 'livenessProbe'] as const) {
    if (!container[name]) {
      problems.push(`${where}: needs a ${name}`);
    }
  }
  for (const name of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
    const probe = container[name];
    if (probe) {
      problems.push(...probePortProblem(where, name, probe, container));
    }
  }
  return problems;
}

function checkPreStop(where: string, container: Container, template: PodTemplate): string[] {
  if (!container.lifecycle?.preStop) {
    return [`${where}: needs a preStop hook (a pause, so endpoint removal propagates before SIGTERM)`];
  }
  const grace = template.spec.terminationGracePeriodSeconds ?? 30;
  if (preStopSeconds(container) >= grace) {
    return [`${where}: the preStop pause uses up terminationGracePeriodSeconds (${grace} s)`];
  }
  return [];
}

function checkRollout(where: string, deployment: K8sObject, objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const strategy = deployment.spec.strategy ?? {};
  const maxUnavailable = strategy.rollingUpdate?.maxUnavailable;
  if (strategy.type !== 'RollingUpdate' || !(maxUnavailable === 0 || maxUnavailable === '0%')) {
    problems.push(`${where}: rolling updates must use maxUnavailable: 0`);
  }
  const scaled = objects.some(
    (hpa) =>
      hpa.kind === 'HorizontalPodAutoscaler' &&
      hpa.spec?.scaleTargetRef?.kind === 'Deployment' &&
      hpa.spec?.scaleTargetRef?.name === deployment.metadata.name,
  );
  if (!scaled && deployment.spec.replicas === undefined) {
    problems.push(`${where}: has neither replicas nor a HorizontalPodAutoscaler (it would run 1 replica)`);
  }
  return problems;
}

function podLabelsOf(objects: K8sObject[]): { owner: K8sObject; labels: Record<string, string> }[] {
  return objects.filter(isWorkload).map((owner) => ({ owner, labels: podTemplateOf(owner)?.metadata?.labels ?? {} }));
}

function checkDisruptionBudgets(objects: K8sObject[]): string[] {
  const budgets = objects.filter((object) => object.kind === 'PodDisruptionBudget');
  const problems = budgets
    .filter((budget) => !podLabelsOf(objects).some(({ labels }) => selectorMatches(budget.spec?.selector, labels)))
    .map((budget) => `${describeObject(budget)}: selects no pods`);
  for (const { owner, labels } of podLabelsOf(objects)) {
    const needsBudget =
      owner.kind === 'Deployment' || (owner.kind === 'StatefulSet' && (owner.spec?.replicas ?? 1) > 1);
    if (needsBudget && !budgets.some((budget) => selectorMatches(budget.spec?.selector, labels))) {
      problems.push(`${describeObject(owner)}: no PodDisruptionBudget covers its pods`);
    }
  }
  return problems;
}

function checkServices(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const service of objects.filter((object) => object.kind === 'Service')) {
    const backends = podLabelsOf(objects).filter(({ labels }) => labelMapMatches(service.spec?.selector, labels));
    if (backends.length === 0) {
      problems.push(`${describeObject(service)}: its selector matches no pod template`);
      continue;
    }
    for (const port of service.spec?.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const served = backends.some(({ owner }) =>
        (podTemplateOf(owner)?.spec.containers ?? []).some((container) =>
          (container.ports ?? []).some((p) =>
            typeof target === 'number' ? p.containerPort === target : p.name === target,
          ),
        ),
      );
      if (!served) {
        problems.push(`${describeObject(service)}: targetPort ${target} is not a port of its pods`);
      }
    }
  }
  return problems;
}

function checkAutoscalers(objects: K8sObject[], options: RuleOptions): string[] {
  const problems: string[] = [];
  for (const hpa of objects.filter((object) => object.kind === 'HorizontalPodAutoscaler')) {
    const where = describeObject(hpa);
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const target = objects.find((object) => object.kind === ref.kind && object.metadata.name === ref.name);
    if (!target) {
      problems.push(`${where}: scaleTargetRef ${ref.kind}/${ref.name} does not exist`);
    }
    const min = hpa.spec?.minReplicas ?? 1;
    if (min < (options.minHpaReplicas ?? 2)) {
      problems.push(`${where}: minReplicas ${min} is below ${options.minHpaReplicas ?? 2}`);
    }
    if ((hpa.spec?.maxReplicas ?? 0) < min) {
      problems.push(`${where}: maxReplicas is below minReplicas`);
    }
    const onCpu = (hpa.spec?.metrics ?? []).some(
      (metric: { type?: string; resource?: { name?: string } }) =>
        metric.type === 'Resource' && metric.resource?.name === 'cpu',
    );
    if (!onCpu) {
      problems.push(`${where}: must scale on CPU utilisation`);
    }
    const withoutCpuRequest = (podTemplateOf(target ?? ({} as K8sObject))?.spec.containers ?? []).filter(
      (container) => !container.resources?.requests?.cpu,
    );
    if (withoutCpuRequest.length > 0) {
      problems.push(`${where}: CPU utilisation is undefined for containers without a CPU request`);
    }
  }
  return problems;
}

function servicePortExists(service: K8sObject | undefined, port: { name?: string; number?: number }): boolean {
  return (service?.spec?.ports ?? []).some((p: { name?: string; port?: number }) =>
    port.name !== undefined ? p.name === port.name : p.port === port.number,
  );
}

function checkIngresses(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const ingress of objects.filter((object) => object.kind === 'Ingress')) {
    for (const rule of ingress.spec?.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend?.service ?? {};
        const service = objects.find((object) => isNamed(object, 'Service', backend.name));
        if (!service || !servicePortExists(service, backend.port ?? {})) {
          problems.push(
            `${describeObject(ingress)}: ${path.path} routes to a missing Service or port (${backend.name})`,
          );
        }
      }
    }
  }
  return problems;
}

function checkServiceMonitors(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const monitor of objects.filter((object) => object.kind === 'ServiceMonitor')) {
    const services = objects.filter(
      (object) => object.kind === 'Service' && selectorMatches(monitor.spec?.selector, object.metadata.labels),
    );
    if (services.length === 0) {
      problems.push(`${describeObject(monitor)}: selects no Service`);
    }
    for (const endpoint of monitor.spec?.endpoints ?? []) {
      if (!services.every((service) => servicePortExists(service, { name: endpoint.port }))) {
        problems.push(`${describeObject(monitor)}: not every selected Service has a port named ${endpoint.port}`);
      }
    }
  }
  return problems;
}

/** ConfigMaps must be rendered; Secrets rendered, or one an operator creates (secret-placeholders.ts). */
function checkConfigReferences(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const workload of objects.filter(isWorkload)) {
    const pod = podTemplateOf(workload)?.spec;
    for (const volume of pod?.volumes ?? []) {
      if (
        volume.configMap &&
        !volume.configMap.optional &&
        !objects.some((o) => isNamed(o, 'ConfigMap', volume.configMap!.name))
      ) {
        problems.push(`${describeObject(workload)}: volume ${volume.name} needs ConfigMap ${volume.configMap.name}`);
      }
      const secret = volume.secret?.secretName;
      if (
        secret &&
        !volume.secret!.optional &&
        !objects.some((o) => isNamed(o, 'Secret', secret)) &&
        !SECRET_PLACEHOLDERS[secret]
      ) {
        problems.push(
          `${describeObject(workload)}: volume ${volume.name} needs Secret ${secret}, which nobody creates`,
        );
      }
    }
  }
  return problems;
}

function checkPlacement(objects: K8sObject[], options: RuleOptions): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    if (options.namespace && !CLUSTER_SCOPED.has(object.kind) && object.metadata.namespace !== options.namespace) {
      problems.push(
        `${describeObject(object)}: is in namespace ${object.metadata.namespace ?? '(none)'}, not ${options.namespace}`,
      );
    }
    if (object.kind === 'Secret' && !options.allowSecrets) {
      problems.push(
        `${describeObject(object)}: Secrets are created by operators, never committed (docs/operations.md)`,
      );
    }
  }
  return problems;
}

function isNamed(object: K8sObject, kind: string, name: string): boolean {
  return object.kind === kind && object.metadata.name === name;
}

import { join } from 'node:path';
import { checkGatewayApi, durationMs } from './gateway-api';
import { K8sObject } from './k8s-objects';
import { K8S_DIR, renderKustomization } from './kustomize';

/**
 * The Gateway API checks must be able to fail: each case breaks one thing in overlays/prod's
 * rendering and expects that to be reported (with what follows from it, e.g. a renamed listener
 * also strands the route attached to the old name).
 */
describe(checkGatewayApi.name, () => {
  let rendered: K8sObject[];

  beforeAll(() => {
    rendered = renderKustomization(join(K8S_DIR, 'overlays', 'prod'));
  });

  function broken(mutate: (gateway: K8sObject, route: K8sObject, redirect: K8sObject, all: K8sObject[]) => void) {
    const objects = structuredClone(rendered);
    const find = (kind: string, name: string): K8sObject =>
      objects.find((object) => object.kind === kind && object.metadata.name === name)!;
    mutate(
      find('Gateway', 'bazaar'),
      find('HTTPRoute', 'gateway'),
      find('HTTPRoute', 'gateway-https-redirect'),
      objects,
    );
    return objects;
  }

  it('passes the unbroken overlay', () => {
    expect(checkGatewayApi(rendered)).toEqual([]);
  });

  it.each([
    [
      'a misspelt field',
      (_g: K8sObject, r: K8sObject) => (r.spec.parentRefs[0].sectioName = 'https'),
      /sectioName: is not a field/,
    ],
    [
      'an unknown protocol',
      (g: K8sObject) => (g.spec.listeners[0].protocol = 'HTTP2'),
      /protocol: "HTTP2" is not one of/,
    ],
    ['a missing class', (g: K8sObject) => delete g.spec.gatewayClassName, /gatewayClassName: is required/],
    [
      'a duration Gateway API cannot read',
      (_g: K8sObject, r: K8sObject) => (r.spec.rules[0].timeouts.request = '35 seconds'),
      /request: "35 seconds" is not valid/,
    ],
    [
      'two listeners of one name',
      (g: K8sObject) => (g.spec.listeners[1].name = 'https'),
      /listener name https is used twice/,
    ],
    [
      'HTTPS without a certificate',
      (g: K8sObject) => (g.spec.listeners[0].tls.certificateRefs = []),
      /terminates TLS without a certificate/,
    ],
    [
      'a certificate Secret nobody creates',
      (g: K8sObject) => (g.spec.listeners[0].tls.certificateRefs[0].name = 'api-cert'),
      /needs Secret api-cert, which nobody creates/,
    ],
    [
      'a parent Gateway that does not exist',
      (_g: K8sObject, r: K8sObject) => (r.spec.parentRefs[0].name = 'shared'),
      /parent Gateway shared does not exist/,
    ],
    [
      'a listener that does not exist',
      (_g: K8sObject, r: K8sObject) => (r.spec.parentRefs[0].sectionName = 'web'),
      /has no listener web/,
    ],
    [
      'a listener that admits no routes from the route namespace',
      (_g: K8sObject, r: K8sObject) => {
        r.metadata.namespace = 'elsewhere';
        r.spec.parentRefs[0].namespace = 'bazaar';
      },
      /no listener of Gateway bazaar admits routes from here/,
    ],
    [
      "the pods' port instead of the Service's",
      (_g: K8sObject, r: K8sObject) => (r.spec.rules[0].backendRefs[0].port = 3000),
      /forwards to gateway:3000, which is not a port of a Service/,
    ],
    [
      'a Service that does not exist',
      (_g: K8sObject, r: K8sObject) => (r.spec.rules[0].backendRefs[0].name = 'api'),
      /forwards to api:80/,
    ],
    [
      'the proxy timing out first',
      (_g: K8sObject, r: K8sObject) => (r.spec.rules[0].timeouts.request = '30s'),
      /must time out after the gateway's HTTP_REQUEST_TIMEOUT_MS \(30000 ms\), not at 30s/,
    ],
    [
      "the proxy's default timeout",
      (_g: K8sObject, r: K8sObject) => delete r.spec.rules[0].timeouts,
      /not at the proxy's default/,
    ],
    [
      'a redirect that also forwards',
      (_g: K8sObject, _r: K8sObject, redirect: K8sObject) =>
        (redirect.spec.rules[0].backendRefs = [{ name: 'gateway', port: 80 }]),
      /both redirects and forwards/,
    ],
  ])('reports %s', (_, mutate, expected) => {
    const problems = checkGatewayApi(broken(mutate));

    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});

describe(durationMs.name, () => {
  it("reads Gateway API durations and refuses what isn't one", () => {
    expect([durationMs('35s'), durationMs('1m30s'), durationMs('250ms'), durationMs('1h')]).toEqual([
      35_000, 90_000, 250, 3_600_000,
    ]);
    expect([durationMs('35'), durationMs('1.5s'), durationMs('')]).toEqual([undefined, undefined, undefined]);
  });
});

import {
  BUS_IDENTITIES,
  BUS_POLICY,
  BusGrant,
  BusIdentity,
  inboxPrefixOf,
} from '../../libs/common/src/messaging/bus-policy';

/**
 * Renders libs/common's bus policy as nats-server's `authorization` block. The output is committed
 * (deploy/nats/authorization.conf and the k8s NATS component's copy) and a unit test fails when
 * either differs from a fresh rendering, so the policy in code and the one the server enforces
 * can't drift apart. Works on nats-server 2.9 and current releases: users, per-user publish and
 * subscribe allow lists, queue-group permissions (`"<subject> <queue>"`) and `allow_responses`.
 */

/** The environment variable the server reads an identity's password from. */
export function passwordVariableOf(identity: BusIdentity): string {
  return `BAZAAR_NATS_${identity.toUpperCase()}_PASSWORD`;
}

/** What managing its own stream takes: look it up, create it, change its limits. Nothing else. */
function streamAdminSubjects(stream: string): string[] {
  return [
    '$JS.API.INFO',
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.CREATE.${stream}`,
    `$JS.API.STREAM.UPDATE.${stream}`,
  ];
}

/**
 * What reading a stream takes, with ordered or durable consumers (pull or push): stream info and
 * single-message reads, creating, inspecting and deleting consumers, fetching, acknowledging and
 * flow control. Never publishing into it, purging it or changing it.
 */
function streamReaderSubjects(stream: string): string[] {
  return [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.MSG.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.*`,
    `$JS.API.CONSUMER.INFO.${stream}.*`,
    `$JS.API.CONSUMER.NAMES.${stream}`,
    `$JS.API.CONSUMER.LIST.${stream}`,
    `$JS.API.CONSUMER.DELETE.${stream}.*`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.*`,
    `$JS.ACK.${stream}.>`,
    `$JS.FC.${stream}.>`,
  ];
}

export interface NatsPermissions {
  publish: string[];
  subscribe: string[];
  allowResponses: boolean;
}

/** One identity's grant as NATS permissions. */
export function permissionsOf(identity: BusIdentity, grant: BusGrant = BUS_POLICY[identity]): NatsPermissions {
  const readsStreams = grant.readsStreams.length > 0 ? ['$JS.API.INFO', '$JS.API.STREAM.NAMES'] : [];
  const publish = [
    ...grant.requests,
    ...grant.publishes,
    ...(grant.managesStream ? streamAdminSubjects(grant.managesStream) : []),
    ...readsStreams,
    ...grant.readsStreams.flatMap(streamReaderSubjects),
  ];
  const subscribe = [
    ...grant.serves.map((subject) => `${subject} ${identity}`),
    ...grant.listens,
    `${inboxPrefixOf(identity)}.>`,
  ];
  return {
    publish: [...new Set(publish)],
    subscribe: [...new Set(subscribe)],
    allowResponses: grant.serves.length > 0,
  };
}

const quoted = (subjects: readonly string[], indent: string): string =>
  subjects.map((subject) => `${indent}"${subject}"`).join('\n');

function renderUser(identity: BusIdentity): string {
  const permissions = permissionsOf(identity);
  const lines = [
    '    {',
    `      user: "${identity}"`,
    `      password: $${passwordVariableOf(identity)}`,
    '      permissions: {',
    '        publish: { allow: [',
    quoted(permissions.publish, '          '),
    '        ] }',
    '        subscribe: { allow: [',
    quoted(permissions.subscribe, '          '),
    '        ] }',
  ];
  if (permissions.allowResponses) {
    // One reply per request received, to the reply subject it named: how a service answers.
    lines.push('        allow_responses: true');
  }
  lines.push('      }', '    }');
  return lines.join('\n');
}

export function renderAuthorization(): string {
  return [
    '# Generated from libs/common/src/messaging/bus-policy.ts by `npm run nats:config`: do not edit.',
    "# Who may be on Bazaar's bus and what each identity may do (docs/security.md). Anything not",
    "# allowed here is refused by the server. Passwords come from the server's environment",
    `# (${passwordVariableOf('gateway')}, ...): nothing secret is in this file, and a missing`,
    '# password stops the server at start instead of leaving an identity open.',
    'authorization {',
    '  users = [',
    BUS_IDENTITIES.map(renderUser).join('\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
}

import { generateBusCredentials } from '../nats/local-nats-server';
import { BusAccess } from './bus-access';
import { Replica } from './replica';
import { buildReadyPayload, printReady, READY_MARKER, ReadyPayload } from './ready-report';

const credentials = generateBusCredentials();
const replicas = [
  { id: 'gateway-0', service: 'gateway', pid: 101, port: 3000 },
  { id: 'orders-0', service: 'orders', pid: 102, port: 3003 },
] as unknown as Replica[];

const ownBus: BusAccess = {
  url: 'nats://127.0.0.1:4223',
  credentials,
  tls: undefined,
  own: { pid: 99, credentialsFile: '/state/nats/credentials.json', logFile: '/state/nats/nats-server.log' },
};

/** What printReady writes: the lines for people, and the machine line's payload. */
function printed(payload: ReadyPayload): { human: string; machine: ReadyPayload } {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((text) => {
    lines.push(String(text));
    return true;
  });
  try {
    printReady(payload, []);
  } finally {
    write.mockRestore();
  }
  const all = lines.join('').split('\n');
  const machine = all.find((line) => line.startsWith(`${READY_MARKER} `))!;
  const human = all.filter((line) => line !== machine).join('\n');
  return { human, machine: JSON.parse(machine.slice(READY_MARKER.length + 1)) as ReadyPayload };
}

describe(buildReadyPayload.name, () => {
  it("names the events consumer's credentials and the own nats-server", () => {
    const sut = buildReadyPayload(replicas, 3000, ownBus, 1234);

    expect(sut.natsUrl).toBe('nats://127.0.0.1:4223');
    expect(sut.eventsConsumer).toEqual({
      servers: 'nats://127.0.0.1:4223',
      user: 'events',
      pass: credentials.events.pass,
    });
    expect(sut.natsServer).toEqual(ownBus.own);
    expect(sut.replicas.map((replica) => replica.id)).toEqual(['gateway-0', 'orders-0']);
  });

  it('gives the events consumer only the address on a bus without credentials', () => {
    const sut = buildReadyPayload(
      replicas,
      3000,
      { url: 'nats://bus:4222', credentials: undefined, tls: undefined },
      1,
    );

    expect(sut.eventsConsumer).toEqual({ servers: 'nats://bus:4222' });
    expect(sut).not.toHaveProperty('natsServer');
  });
});

describe(printReady.name, () => {
  it('tells people where the credentials are and gives the passwords to programs only', () => {
    const payload = buildReadyPayload(replicas, 3000, ownBus, 1234);

    const { human, machine } = printed(payload);

    expect(human).toContain('user "events"');
    expect(human).toContain('/state/nats/credentials.json');
    Object.values(credentials).forEach(({ pass }) => expect(human).not.toContain(pass));
    expect(machine.eventsConsumer.pass).toBe(credentials.events.pass);
    expect(machine).toEqual(payload);
  });

  it('warns that a bus without credentials lets anyone act as any service', () => {
    const payload = buildReadyPayload(
      replicas,
      3000,
      { url: 'nats://bus:4222', credentials: undefined, tls: undefined },
      1,
    );

    expect(printed(payload).human).toContain('no credentials: anyone on this bus can act as any service');
  });
});

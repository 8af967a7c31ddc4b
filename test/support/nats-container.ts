import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { BusCredentials, connectAs, natsServerEnv } from '../../tools/nats/local-nats-server';
import type { NatsServerHandle } from '../../tools/nats/restartable-nats-server';
import { composeImage, removeContainerNow, testContainerLabels } from './test-containers';

const docker = promisify(execFile);

const CONFIG_DIR = join(__dirname, '..', '..', 'deploy', 'nats');

/**
 * A suite's private NATS as a container of docker-compose.yml's image, running deploy/nats as
 * compose does. Its host port is fixed at start, so stop()/start() (docker kill / docker start)
 * keep the URL clients reconnect to, and the JetStream store stays in the container.
 */
export async function startNatsContainer(
  port: number,
  credentials: BusCredentials | undefined,
): Promise<NatsServerHandle> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const config = credentials ? ['--config', '/etc/bazaar/nats/nats-server.conf'] : ['--jetstream'];
  const container = await new GenericContainer(composeImage('nats'))
    .withCopyFilesToContainer(
      ['nats-server.conf', 'authorization.conf'].map((file) => ({
        source: join(CONFIG_DIR, file),
        target: `/etc/bazaar/nats/${file}`,
      })),
    )
    .withEnvironment(credentials ? natsServerEnv(credentials) : {})
    .withCommand([...config, '--store_dir', '/data', '--port', '4222'])
    .withExposedPorts({ container: 4222, host: port })
    .withLabels(testContainerLabels())
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  const id = container.getId();
  const removeOnExit = (): void => removeContainerNow(id);
  process.once('exit', removeOnExit);

  /** Docker publishes the port before the server inside listens: wait for a real NATS handshake. */
  const untilServing = async (): Promise<void> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const connection = await connectAs(`nats://127.0.0.1:${port}`, credentials, 'gateway', {
        reconnect: false,
        timeout: 1000,
      }).catch(() => undefined);
      if (connection) {
        await connection.close();
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`NATS container ${id.slice(0, 12)} did not serve on ${port} within 30 s`);
      }
      await sleep(100);
    }
  };

  return {
    start: async () => {
      await docker('docker', ['start', id]);
      await untilServing();
    },
    stop: async (signal) => {
      await docker('docker', ['kill', `--signal=${signal}`, id]).catch(() => undefined);
      await docker('docker', ['wait', id]);
    },
    dispose: async () => {
      process.removeListener('exit', removeOnExit);
      await docker('docker', ['rm', '-f', '-v', id]).catch(() => undefined);
    },
  };
}

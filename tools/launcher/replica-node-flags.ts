import type { ServiceName } from './services';

/**
 * What memory each replica runs with, in one place: the image's NODE_OPTIONS (Dockerfile), the
 * memory limits of its Kubernetes container (k8s/base) and Compose service (docker-compose.yml),
 * and the flags the launcher (and the bench, which starts Bazaar through it) gives each replica, so
 * a process on a developer's machine runs as it would in its container. tools/deploy-checks holds
 * the files to these values (memory-budgets.spec.ts); the compose test checks running containers.
 */

/**
 * --max-semi-space-size=4 (MiB; V8's default cap is 16): start-up alone grows the young generation
 * to its cap, and V8 keeps it committed, so every idle process held ~30 MiB of empty young space.
 * Measured per process at scale 1: idle RSS 137-149 MiB → 116-126 MiB, RSS after load 156 → 139 MiB
 * (auth), while auth's scavenges for the same `me` load took the same total time (0.68 s vs 0.69 s:
 * more of them, each shorter, as young objects here die within a request) and its CPU per request
 * stayed within noise (410-460 µs either way). 2 MiB saved a few MiB more but doubled scavenge time.
 */
export const SEMI_SPACE_MIB = 4;

/**
 * The old space (V8's long-lived heap) may take half of the container's memory limit; code, native
 * buffers (pg, NATS, argon2's memory), the young generation and the allocator's slack live in the
 * other half (a replica's RSS outside its heap is ~90-110 MiB).
 *
 * Without it, Node sizes the heap from the limit as V8 does from a machine's memory: at least
 * 256 MiB of old space, which in a 384 MiB container leaves too little for the rest, so the kernel's
 * OOM killer could end the process before V8 ever collected hard. On a host without a limit (24 GiB
 * here) V8 allowed each process a 4 GiB heap and grew it by up to 4× its live size between
 * collections (V8's heap controller allows 4× at its default cap for the machine, and 1.3× for a
 * cap at or below its minimum default, 256 MiB here): over 10 minutes of saturating load catalog's
 * RSS rose 31 % and orders' 51 % with nothing retained. With this budget RSS follows the live heap
 * (bench/README.md).
 */
export const HEAP_PERCENT_OF_MEMORY_LIMIT = 50;

/** The image's NODE_OPTIONS: Node applies the percentage to the container's cgroup memory limit. */
export const IMAGE_NODE_OPTIONS = `--max-semi-space-size=${SEMI_SPACE_MIB} --max-old-space-size-percentage=${HEAP_PERCENT_OF_MEMORY_LIMIT}`;

/**
 * Memory limit of one replica's container (k8s/base; docker-compose.yml). The gateway holds the
 * read cache (READ_CACHE_MAX_BYTES, 64 MiB by default); auth's argon2 takes 19 MiB per hash in flight.
 */
export const REPLICA_MEMORY_LIMIT_MIB: Readonly<Record<ServiceName, number>> = {
  gateway: 512,
  auth: 512,
  catalog: 384,
  orders: 384,
};

/** The old space Node gives a process under a memory limit of `limitMib`, in MiB (as Node rounds it). */
export function heapShareMib(limitMib: number): number {
  return Math.floor((limitMib * HEAP_PERCENT_OF_MEMORY_LIMIT) / 100);
}

/** The old space Node gives a replica of `service` in its container, in MiB. */
export function heapBudgetMib(service: ServiceName): number {
  return heapShareMib(REPLICA_MEMORY_LIMIT_MIB[service]);
}

/**
 * Node flags a replica of `service` runs with outside a container: the image's, with the heap budget
 * spelt out, since a host process has no memory limit for the percentage to apply to. Flags given
 * with --node-options come after these and win.
 */
export function replicaNodeFlags(service: ServiceName): string[] {
  return [`--max-semi-space-size=${SEMI_SPACE_MIB}`, `--max-old-space-size=${heapBudgetMib(service)}`];
}

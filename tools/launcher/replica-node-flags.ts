/**
 * Node flags every replica runs with, the same as the image's NODE_OPTIONS (Dockerfile), so the
 * launcher (and the bench, which starts Bazaar through it) runs what a container runs. Flags given
 * with --node-options come after these and win.
 *
 * --max-semi-space-size=4 (MiB; V8's default cap is 16): start-up alone grows the young generation
 * to its cap, and V8 keeps it committed, so every idle process held ~30 MiB of empty young space.
 * Measured per process at scale 1: idle RSS 137-149 MiB → 116-126 MiB, RSS after load 156 → 139 MiB
 * (auth), while auth's scavenges for the same `me` load took the same total time (0.68 s vs 0.69 s:
 * more of them, each shorter, as young objects here die within a request) and its CPU per request
 * stayed within noise (410-460 µs either way). 2 MiB saved a few MiB more but doubled scavenge time.
 */
export const REPLICA_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/**
 * The wire contract between Bazaar's services: NATS subjects, request and response shapes, event
 * payloads, error codes and roles. Plain data with validation metadata; it imports nothing of ours,
 * so a team can read (and the contract check can compare) it without the plumbing. Versioning
 * rule: libs/contracts/README.md.
 */
export * from './auth';
export * from './catalog';
export * from './contract';
export * from './errors';
export * from './events';
export * from './orders';
export * from './shared';

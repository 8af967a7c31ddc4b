import { BUS_POLICY, callersOf, inboxPrefixOf, isBusIdentity } from './bus-policy';

/**
 * Defence in depth behind the server's permissions: a service handles a request only if its reply
 * subject lies in the private inbox of an identity allowed to call that subject. Only that
 * identity can subscribe there (the server refuses everyone else), so a request claiming another
 * caller's inbox can never read its answer, and a request whose reply leads anywhere else (a
 * foreign client, a JetStream delivery pushed at a service subject) is refused before a handler
 * runs, even on a bus whose permissions were loosened by mistake.
 *
 * A process that is not one of the policy's identities (a test's probe service) is not checked.
 */
export class CallerCheck {
  private constructor(private readonly allowedPrefixes: ReadonlyMap<string, readonly string[]> | undefined) {}

  static forService(service: string): CallerCheck {
    if (!isBusIdentity(service)) {
      return new CallerCheck(undefined);
    }
    const prefixes = new Map<string, string[]>();
    for (const subject of BUS_POLICY[service].serves) {
      prefixes.set(
        subject,
        callersOf(subject).map((caller) => `${inboxPrefixOf(caller)}.`),
      );
    }
    return new CallerCheck(prefixes);
  }

  allows(subject: string, reply: string): boolean {
    if (!this.allowedPrefixes) {
      return true;
    }
    // A subject missing from the policy has no allowed caller: fail closed.
    const prefixes = this.allowedPrefixes.get(subject) ?? [];
    return prefixes.some((prefix) => reply.startsWith(prefix));
  }
}

/**
 * What a bus password must look like. nats-server reads each identity's password from its
 * environment and parses the value as a configuration value (`password: $BAZAAR_NATS_…`): one that
 * starts with a digit or '-' is lexed as a number or a date ("Expected a digit", "All ISO8601 dates
 * must be…") and the server refuses to start. Plain base64url failed 24 of 300 starts with five
 * random passwords; after a leading letter, none of 1,500 (nats-server 2.9.10, `-t`). The apps
 * check their own password against it, so a Secret the server can't read fails where it is set,
 * naming the variable, instead of as a NATS server that won't start.
 */
export const BUS_PASSWORD_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{15,255}$/;

export const BUS_PASSWORD_RULE =
  "a letter, then 15-255 letters, digits, - or _ (e.g. \"p$(openssl rand -base64 24 | tr '+/' '-_')\")";

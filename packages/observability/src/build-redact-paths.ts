/** Keys whose values never reach a log line: credentials, session material and personal data. */
export const SENSITIVE_KEYS = [
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'password',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'cpf',
  'cnpj',
  'document',
  'taxId',
  'email',
  'phone',
  'pan',
  'cvv',
  'cardNumber',
] as const;

// Three levels: `key`, `*.key` and `*.*.key` (which covers req.headers.authorization). Each extra
// wildcard level costs every log call, so deeper objects must be logged through a serializer.
const PREFIXES = ['', '*', '*.*'];

/** pino `redact` paths for every sensitive key at depths 1 to 3. */
export function buildRedactPaths(keys: readonly string[] = SENSITIVE_KEYS): string[] {
  return keys.flatMap((key) => PREFIXES.map((prefix) => joinPath(prefix, key)));
}

// Keys such as set-cookie are not identifiers and need bracket notation.
function joinPath(prefix: string, key: string): string {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  if (prefix === '') return segment;
  return segment.startsWith('[') ? `${prefix}${segment}` : `${prefix}.${segment}`;
}

const SECRET_PARAM = /secret|token|key|password|signature/i;

/** A path with its query, with the values of secret-looking query parameters replaced, for logs. */
export function redactPath(pathAndQuery: string): string {
  const mark = pathAndQuery.indexOf('?');
  if (mark === -1) return pathAndQuery;
  const params = new URLSearchParams(pathAndQuery.slice(mark + 1));
  for (const name of [...params.keys()]) if (SECRET_PARAM.test(name)) params.set(name, '[redacted]');
  return `${pathAndQuery.slice(0, mark)}?${params.toString().replaceAll('%5Bredacted%5D', '[redacted]')}`;
}

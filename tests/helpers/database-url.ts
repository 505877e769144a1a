/** The PostgreSQL URL with another database name (the test template, a suite's copy). */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

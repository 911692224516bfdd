/**
 * The cookies one user holds for one origin, as a browser would send them back.
 * Domain and path are ignored: every request goes to the same origin.
 */
export class CookieJar {
  private readonly cookies: Map<string, string>;

  constructor(cookies: Iterable<[string, string]> = []) {
    this.cookies = new Map(cookies);
  }

  /** Takes an answer's Set-Cookie lines: new values replace old ones, expired cookies go. */
  store(headers: Headers): void {
    for (const line of setCookieLines(headers)) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (value === '' || attributes.some(expires)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** The Cookie header to send, if any cookie is held. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get size(): number {
    return this.cookies.size;
  }

  copy(): CookieJar {
    return new CookieJar(this.cookies);
  }
}

function setCookieLines(headers: Headers): string[] {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  // A fetch without getSetCookie joins the lines with commas; Expires dates hold commas too.
  const joined = headers.get('set-cookie');
  return joined ? joined.split(/,(?=\s*[^;,=\s]+=)/) : [];
}

function expires(attribute: string): boolean {
  const [key = '', value = ''] = attribute.split('=').map((part) => part.trim());
  if (/^max-age$/i.test(key)) return Number(value) <= 0;
  if (/^expires$/i.test(key)) return Date.parse(value) <= Date.now();
  return false;
}

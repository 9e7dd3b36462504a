/**
 * The one-time JWTs Clearent's browser SDK obtains for a card. Each looks like a signed JWT (three
 * base64url parts, HMAC-signed with a per-instance secret) and maps, in memory only, to the masked card.
 * A JWT can be redeemed once, within its time to live.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { MaskedCard } from './cards';

export type JwtRefusal = 'malformed' | 'unknown' | 'expired' | 'used';

export type JwtRedemption = { ok: true; card: MaskedCard } | { ok: false; refusal: JwtRefusal };

interface IssuedJwt {
  card: MaskedCard;
  expiresAt: number;
  used: boolean;
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export class JwtVault {
  private readonly secret = randomBytes(32);
  /** Keyed by the JWT's `jti` claim, never by the JWT itself. */
  private issued = new Map<string, IssuedJwt>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => Date,
  ) {}

  /** Issues a JWT for a card; its claims carry only an id, times and the last four digits. */
  issue(card: MaskedCard): string {
    const issuedAt = this.now().getTime();
    const jti = randomUUID();
    const claims = {
      iss: 'clearent-sandbox',
      jti,
      iat: Math.floor(issuedAt / 1000),
      exp: Math.floor((issuedAt + this.ttlMs) / 1000),
      'last-four': card.lastFour,
    };
    const unsigned = `${HEADER}.${base64url(JSON.stringify(claims))}`;
    this.issued.set(jti, { card, expiresAt: issuedAt + this.ttlMs, used: false });
    return `${unsigned}.${this.sign(unsigned)}`;
  }

  /** Uses a JWT up: it works once, and not after it expires. */
  redeem(jwt: string): JwtRedemption {
    const jti = this.verifiedJti(jwt);
    if (jti === undefined) return { ok: false, refusal: 'malformed' };
    const issued = this.issued.get(jti);
    if (!issued) return { ok: false, refusal: 'unknown' };
    if (issued.used) return { ok: false, refusal: 'used' };
    if (this.now().getTime() >= issued.expiresAt) return { ok: false, refusal: 'expired' };
    issued.used = true;
    return { ok: true, card: issued.card };
  }

  clear(): void {
    this.issued.clear();
  }

  private sign(unsigned: string): string {
    return createHmac('sha256', this.secret).update(unsigned).digest('base64url');
  }

  private verifiedJti(jwt: string): string | undefined {
    const [header, claims, signature, ...rest] = jwt.split('.');
    if (header === undefined || claims === undefined || signature === undefined || rest.length > 0) {
      return undefined;
    }
    const expected = Buffer.from(this.sign(`${header}.${claims}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const parsed: unknown = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || !('jti' in parsed)) return undefined;
    return typeof parsed.jti === 'string' ? parsed.jti : undefined;
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

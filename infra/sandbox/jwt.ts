/**
 * The one-time JWTs Clearent's browser SDK obtains for a card. Each looks like a signed JWT (three
 * base64url parts, HMAC-signed with the simulator's secret) and maps, by its `jti`, to the masked card.
 * A JWT can be redeemed once, within its time to live. The secret, each issue and each redemption are
 * journaled (never the JWT itself), so that a JWT issued before a restart is still good once after it.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { MaskedCard } from './cards';
import type { Journal } from './journal';
import type { ResetEvent } from './ledger';

export type JwtRefusal = 'malformed' | 'unknown' | 'expired' | 'used';

export type JwtRedemption = { ok: true; card: MaskedCard } | { ok: false; refusal: JwtRefusal };

interface IssuedJwt {
  card: MaskedCard;
  expiresAt: number;
  used: boolean;
}

export type JwtEvent =
  | { readonly kind: 'jwt-secret'; readonly secret: string }
  | {
      readonly kind: 'jwt-issued';
      readonly jti: string;
      readonly card: MaskedCard;
      readonly expiresAt: number;
    }
  | { readonly kind: 'jwt-redeemed'; readonly jti: string }
  | ResetEvent;

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export class JwtVault {
  private secret: Buffer | undefined;
  /** Keyed by the JWT's `jti` claim, never by the JWT itself. */
  private issued = new Map<string, IssuedJwt>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => Date,
    private readonly journal: Journal<JwtEvent>,
  ) {}

  /** Applies a change, live or replayed from the journal. */
  apply(event: JwtEvent): void {
    switch (event.kind) {
      case 'jwt-secret':
        this.secret = Buffer.from(event.secret, 'base64');
        return;
      case 'jwt-issued':
        this.issued.set(event.jti, { card: event.card, expiresAt: event.expiresAt, used: false });
        return;
      case 'jwt-redeemed': {
        const issued = this.issued.get(event.jti);
        if (issued) issued.used = true;
        return;
      }
      case 'reset':
        this.issued.clear();
    }
  }

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
    this.commit({ kind: 'jwt-issued', jti, card, expiresAt: issuedAt + this.ttlMs });
    return `${unsigned}.${this.sign(unsigned)}`;
  }

  /** Uses a JWT up: it works once, and not at or after its expiry (judged at `at`). */
  redeem(jwt: string, at: Date): JwtRedemption {
    const jti = this.verifiedJti(jwt);
    if (jti === undefined) return { ok: false, refusal: 'malformed' };
    const issued = this.issued.get(jti);
    if (!issued) return { ok: false, refusal: 'unknown' };
    if (issued.used) return { ok: false, refusal: 'used' };
    if (at.getTime() >= issued.expiresAt) return { ok: false, refusal: 'expired' };
    this.commit({ kind: 'jwt-redeemed', jti });
    return { ok: true, card: issued.card };
  }

  private commit(event: JwtEvent): void {
    this.journal.append(event);
    this.apply(event);
  }

  /** The signing secret: the journaled one, or a new one (journaled) on first use. */
  private signingSecret(): Buffer {
    if (this.secret) return this.secret;
    const secret = randomBytes(32);
    this.commit({ kind: 'jwt-secret', secret: secret.toString('base64') });
    return secret;
  }

  private sign(unsigned: string): string {
    return createHmac('sha256', this.signingSecret()).update(unsigned).digest('base64url');
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

import type { LibraryDescriptor } from '../types';

/** Rate limiters and bot checks: Upstash, Unkey, Arcjet, rate-limiter-flexible, Vercel BotID. */
export const rateLimits: LibraryDescriptor = {
  id: 'rate-limits',
  name: 'Rate limits and bot checks (Upstash Ratelimit, Unkey, Arcjet, rate-limiter-flexible, BotID)',
  category: 'rate-limit',
  packages: ['@upstash/ratelimit', '@unkey/ratelimit', '@arcjet/next', 'arcjet', 'rate-limiter-flexible', 'botid/server', 'limiter', 'next-rate-limit', '@vercel/firewall'],
  exports: {
    checkBotId: { rateLimit: true },
    checkRateLimit: { rateLimit: true },
  },
  clientFactories: ['Ratelimit', 'default', 'arcjet', 'RateLimiterMemory', 'RateLimiterRedis', 'RateLimiterPostgres', 'RateLimiter', 'TokenBucket'],
  members: [{ path: /^(limit|blockUntilReady|protect|consume|removeTokens|tryRemoveTokens|check)$/, rateLimit: true }],
  examples: [
    {
      code: `import { Ratelimit } from '@upstash/ratelimit';\nconst rl = new Ratelimit({} as never);\nexport async function a(ip: string) { const r = await rl.limit(ip); // <-\n}`,
      expect: 'rate-limit',
    },
    { code: `import { checkBotId } from 'botid/server';\nexport async function a() { const v = await checkBotId(); // <-\n}`, expect: 'rate-limit' },
  ],
};

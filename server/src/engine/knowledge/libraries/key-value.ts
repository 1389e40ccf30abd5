import type { LibraryDescriptor } from '../types';

/** Redis-style stores (Upstash, ioredis, node-redis, Vercel KV): server state, not rendered rows. */
export const keyValue: LibraryDescriptor = {
  id: 'key-value',
  name: 'Redis / KV stores (Upstash Redis, ioredis, redis, Vercel KV)',
  category: 'database',
  packages: ['@upstash/redis', '@upstash/redis/*', 'ioredis', 'redis', '@vercel/kv'],
  clientFactories: ['Redis', 'default', 'createClient', 'createKV'],
  clientExports: ['kv'],
  members: [
    {
      path: /^(set|setex|psetex|setnx|mset|hset|hmset|hsetnx|hdel|del|unlink|incr|incrby|decr|decrby|lpush|rpush|lpop|rpop|lrem|lset|sadd|srem|zadd|zrem|zincrby|expire|pexpire|persist|rename|json\.set|json\.del|getdel|getset|append|xadd|publish|eval|evalsha|flushdb|flushall)$/,
      effect: 'server-state-write',
    },
    { path: /^(get|mget|hget|hgetall|hmget|hkeys|hvals|lrange|smembers|sismember|zrange|zrangebyscore|zscore|exists|keys|scan|ttl|json\.get|xrange)$/, effect: 'db-read' },
  ],
  privileged: true,
  examples: [
    { code: `import { Redis } from '@upstash/redis';\nconst redis = Redis.fromEnv();\nexport async function a(k: string) { await redis.set(k, 'admin'); // <-\n}`, expect: 'server-state-write' },
  ],
};

import { rmSync } from 'node:fs';
export default async function globalTeardown(): Promise<void> {
  const stack = globalThis.__bookingStack;
  if (!stack) return;
  await Promise.allSettled([stack.redis.stop(), stack.mongo.stop()]);
  rmSync(stack.bundleDir, { recursive: true, force: true });
}

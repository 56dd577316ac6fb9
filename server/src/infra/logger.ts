import pino from 'pino';

export type Logger = pino.Logger;

/** The root logger; capabilities take child loggers carrying nodeId, socketId, bookingId, jobId. */
export function createLogger(opts: { level: string; nodeId: string; name?: string }): Logger {
  return pino({
    level: opts.level,
    base: { nodeId: opts.nodeId, ...(opts.name ? { name: opts.name } : {}) },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        'passwordHash',
        '*.passwordHash',
      ],
      censor: '[redacted]',
    },
  });
}

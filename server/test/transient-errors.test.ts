/**
 * Which store failures a client may retry: the rule in `isTransientStoreError`, how it reaches the
 * wire (`toErrorBody`: BUSY instead of INTERNAL), and the transaction helper's retry budget.
 */
import mongoose from 'mongoose';
import { Schema } from 'mongoose';
import { ErrorCode } from '@booking/shared';
import { AppError, isTransientStoreError, toErrorBody } from '../src/infra/errors';
import { inTransaction } from '../src/infra/transactions';
import { testUrls, uniqueName, withDb } from '../../test/support/env';

const { mongo } = mongoose;

function serverError(code: number, labels: string[] = []): InstanceType<typeof mongo.MongoServerError> {
  const err = new mongo.MongoServerError({ code, errmsg: `code ${code}` });
  for (const l of labels) err.addErrorLabel(l);
  return err;
}

describe('the retryable-store-error rule', () => {
  it.each([
    ['a network error (the primary killed under a command)', new mongo.MongoNetworkError('connection reset')],
    ['a network timeout', new mongo.MongoNetworkTimeoutError('timed out')],
    [
      'a bare socket reset (seen from the driver on a killed primary)',
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' }),
    ],
    ['NotWritablePrimary (10107: a stepped-down primary)', serverError(10107)],
    ['InterruptedDueToReplStateChange (11602)', serverError(11602)],
    ['PrimarySteppedDown (189)', serverError(189)],
    ['LockTimeout (24)', serverError(24)],
    ['a TransientTransactionError label', serverError(251, ['TransientTransactionError'])],
    ['an UnknownTransactionCommitResult label', serverError(64, ['UnknownTransactionCommitResult'])],
    ['a RetryableWriteError label', serverError(1, ['RetryableWriteError'])],
  ])('%s answers BUSY', (_what, err) => {
    expect(isTransientStoreError(err)).toBe(true);
    expect(toErrorBody(err).code).toBe(ErrorCode.BUSY);
  });

  it.each([
    ['a duplicate key (11000)', serverError(11000)],
    ['a document failing validation (121)', serverError(121)],
    ['NoSuchTransaction without the transient label (251)', serverError(251)],
    ['a plain bug', new TypeError('undefined is not a function')],
    ['a file-system error', Object.assign(new Error('no such file'), { code: 'ENOENT' })],
  ])('%s stays INTERNAL', (_what, err) => {
    expect(isTransientStoreError(err)).toBe(false);
    expect(toErrorBody(err)).toEqual({ code: ErrorCode.INTERNAL, message: 'internal error' });
  });

  it('leaves an AppError as it is', () => {
    expect(toErrorBody(new AppError(ErrorCode.SLOT_TAKEN, 'the slot is taken'))).toEqual({
      code: ErrorCode.SLOT_TAKEN,
      message: 'the slot is taken',
    });
  });
});

describe('inTransaction under transient failures', () => {
  let conn: mongoose.Connection;
  beforeAll(async () => {
    conn = await mongoose.createConnection(withDb(testUrls().mongo, uniqueName('txbusy'))).asPromise();
    await conn.createCollection('c');
  });
  afterAll(() => conn.close());

  it('retries a transient failure, then succeeds once, with the retries counted', async () => {
    const C = conn.model('C', new Schema({ n: Number }), 'c');
    const counters = { attempts: 0, retries: 0 };
    let calls = 0;
    await inTransaction(conn, counters, async (session) => {
      calls += 1;
      await C.create([{ n: 1 }], { session });
      if (calls < 3) throw serverError(112, ['TransientTransactionError']);
    });
    expect(counters).toEqual({ attempts: 3, retries: 2 });
    expect(await C.countDocuments({ n: 1 })).toBe(1);
  });

  it('answers BUSY once its retry budget is spent, writing nothing', async () => {
    const C = conn.model('C');
    const counters = { attempts: 0, retries: 0 };
    const started = Date.now();
    const failing = inTransaction(
      conn,
      counters,
      async (session) => {
        await C.create([{ n: 2 }], { session });
        await new Promise((r) => setTimeout(r, 20));
        throw serverError(112, ['TransientTransactionError']);
      },
      { budgetMs: 300 },
    );
    await expect(failing).rejects.toMatchObject({ code: ErrorCode.BUSY });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(counters.attempts).toBeGreaterThan(1);
    expect(await C.countDocuments({ n: 2 })).toBe(0);
  });

  it('turns a transient failure it cannot retry into BUSY, and leaves other errors alone', async () => {
    const counters = { attempts: 0, retries: 0 };
    await expect(
      inTransaction(conn, counters, async () => Promise.reject(new mongo.MongoNetworkError('reset'))),
    ).rejects.toMatchObject({ code: ErrorCode.BUSY });
    await expect(inTransaction(conn, counters, async () => Promise.reject(serverError(11000)))).rejects.toMatchObject({
      code: 11000,
    });
  });
});

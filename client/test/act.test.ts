/** The shared `act` helper both UIs run commands with: the steps in one order, success and failure. */
import { createAct } from '../src/act';
import type { ClientError, CommandResult } from '../src/command';

function recorder() {
  const steps: string[] = [];
  const act = createAct({
    begin: () => steps.push('begin'),
    end: () => steps.push('end'),
    say: (text) => steps.push(`say ${text}`),
    fail: (e: ClientError) => steps.push(`fail ${e.code}`),
    done: () => steps.push('done'),
  });
  return { steps, act };
}

test('a success: begin, end, the UI update, its sentence, done; resolves with the data', async () => {
  const { steps, act } = recorder();
  const data = await act(
    async (): Promise<CommandResult<{ n: number }>> => {
      steps.push('send');
      return { ok: true, data: { n: 2 } };
    },
    ({ n }) => {
      steps.push(`update ${n}`);
      return `Booked ${n}.`;
    },
  );
  expect(data).toEqual({ n: 2 });
  expect(steps).toEqual(['begin', 'send', 'end', 'update 2', 'say Booked 2.', 'done']);
});

test('a fixed sentence, or none', async () => {
  const { steps, act } = recorder();
  await act(async (): Promise<CommandResult<object>> => ({ ok: true, data: {} }), 'Saved.');
  await act(async (): Promise<CommandResult<object>> => ({ ok: true, data: {} }));
  expect(steps).toEqual(['begin', 'end', 'say Saved.', 'done', 'begin', 'end', 'done']);
});

test('a failure: the error goes to the UI, nothing is said, no done; resolves undefined', async () => {
  const { steps, act } = recorder();
  const data = await act(
    async (): Promise<CommandResult<object>> => ({ ok: false, error: { code: 'SLOT_TAKEN', message: 'taken' } }),
    'Booked.',
  );
  expect(data).toBeUndefined();
  expect(steps).toEqual(['begin', 'end', 'fail SLOT_TAKEN']);
});
